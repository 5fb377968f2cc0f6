/**
 * The dashboard's login session: a cookie holding an expiry, the role and an HMAC of both keyed with
 * ADMIN_TOKEN. No token ever goes into the cookie, and verification is constant-time. Changing
 * ADMIN_TOKEN signs every browser out; a read-only session is also bound to the ADMIN_READ_TOKEN it
 * was opened with, so rotating or removing that token ends it too.
 */
import { hmacSha256, timingSafeEqualStrings, toHex } from '../lib/crypto';
import type { AdminRole } from '../middleware/admin-auth';

export const SESSION_COOKIE = 'wsops_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface SessionKeys {
  adminToken: string;
  readToken: string | undefined;
}

async function signature(keys: SessionKeys, expiresAtSeconds: number, role: AdminRole): Promise<string> {
  // The read token goes into the signed message (never into the cookie): a new one changes every MAC.
  const boundTo = role === 'read' ? (keys.readToken ?? '') : '';
  return toHex(await hmacSha256(keys.adminToken, `dashboard-session:${expiresAtSeconds}:${role}:${boundTo}`));
}

export async function createSessionValue(keys: SessionKeys, role: AdminRole, nowMs: number): Promise<string> {
  const expires = Math.floor(nowMs / 1000) + SESSION_TTL_SECONDS;
  return `${expires}.${role}.${await signature(keys, expires, role)}`;
}

/**
 * The role a session cookie grants, or null when it is missing, expired, forged, signed with an old
 * ADMIN_TOKEN, or a read-only session whose ADMIN_READ_TOKEN has since changed or been removed.
 */
export async function sessionRole(
  value: string | undefined,
  keys: SessionKeys,
  nowMs: number,
): Promise<AdminRole | null> {
  const match = /^(\d{1,12})\.(admin|read)\.([0-9a-f]{64})$/.exec(value ?? '');
  if (!match) return null;
  const expires = Number(match[1]);
  const role = match[2] as AdminRole;
  if (expires * 1000 <= nowMs) return null;
  if (role === 'read' && !keys.readToken) return null;
  return (await timingSafeEqualStrings(match[3]!, await signature(keys, expires, role))) ? role : null;
}
