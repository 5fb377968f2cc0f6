/**
 * The dashboard's login session: a cookie holding an expiry, the role and an HMAC of both keyed with
 * ADMIN_TOKEN. No token ever goes into the cookie, changing ADMIN_TOKEN logs every browser out, and
 * verification is constant-time.
 */
import type { AdminRole } from '../middleware/admin-auth';
import { hmacSha256, timingSafeEqualStrings, toHex } from '../lib/crypto';

export const SESSION_COOKIE = 'wsops_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

async function signature(adminToken: string, expiresAtSeconds: number, role: AdminRole): Promise<string> {
  return toHex(await hmacSha256(adminToken, `dashboard-session:${expiresAtSeconds}:${role}`));
}

export async function createSessionValue(
  adminToken: string,
  role: AdminRole,
  nowMs: number,
): Promise<string> {
  const expires = Math.floor(nowMs / 1000) + SESSION_TTL_SECONDS;
  return `${expires}.${role}.${await signature(adminToken, expires, role)}`;
}

/** The role a session cookie grants, or null when it is missing, expired, forged or signed with an old token. */
export async function sessionRole(
  value: string | undefined,
  adminToken: string,
  nowMs: number,
): Promise<AdminRole | null> {
  const match = /^(\d{1,12})\.(admin|read)\.([0-9a-f]{64})$/.exec(value ?? '');
  if (!match) return null;
  const expires = Number(match[1]);
  const role = match[2] as AdminRole;
  if (expires * 1000 <= nowMs) return null;
  return (await timingSafeEqualStrings(match[3]!, await signature(adminToken, expires, role))) ? role : null;
}
