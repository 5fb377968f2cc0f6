/**
 * The dashboard's login session: a `__Host-` cookie (Secure, Path=/, no Domain: no subdomain can set
 * or read it) holding an expiry, the role, a random session id and an HMAC of all three keyed with
 * ADMIN_TOKEN. No token ever goes into the cookie, and verification is constant-time. Changing
 * ADMIN_TOKEN signs every browser out; a read-only session is also bound to the ADMIN_READ_TOKEN it
 * was opened with, so rotating or removing that token ends it too. Logout revokes the session id on
 * the server (storage/sessions.ts), so a copied cookie stops working too.
 */
import { hmacSha256, timingSafeEqualStrings, toHex } from '../lib/crypto';
import type { AdminRole } from '../middleware/admin-auth';

export const SESSION_COOKIE = '__Host-wsops_session';
export const SESSION_TTL_SECONDS = 12 * 3600;
const SESSION_ID_BYTES = 16;

export interface SessionKeys {
  adminToken: string;
  readToken: string | undefined;
}

export interface Session {
  role: AdminRole;
  /** Random, 128 bits, hex: what logout revokes. */
  id: string;
  expiresAtSeconds: number;
}

async function signature(keys: SessionKeys, session: Session): Promise<string> {
  // The read token goes into the signed message (never into the cookie): a new one changes every MAC.
  const boundTo = session.role === 'read' ? (keys.readToken ?? '') : '';
  return toHex(
    await hmacSha256(
      keys.adminToken,
      `dashboard-session:${session.expiresAtSeconds}:${session.role}:${session.id}:${boundTo}`,
    ),
  );
}

export async function createSessionValue(keys: SessionKeys, role: AdminRole, nowMs: number): Promise<string> {
  const session: Session = {
    role,
    id: toHex(crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES))),
    expiresAtSeconds: Math.floor(nowMs / 1000) + SESSION_TTL_SECONDS,
  };
  return `${session.expiresAtSeconds}.${role}.${session.id}.${await signature(keys, session)}`;
}

/**
 * The session a cookie carries, or null when it is missing, expired, forged, signed with an old
 * ADMIN_TOKEN, or a read-only session whose ADMIN_READ_TOKEN has since changed or been removed.
 * Whether it was revoked by a logout is the caller's one KV read (storage/sessions.ts).
 */
export async function readSession(
  value: string | undefined,
  keys: SessionKeys,
  nowMs: number,
): Promise<Session | null> {
  const match = /^(\d{1,12})\.(admin|read)\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(value ?? '');
  if (!match) return null;
  const session: Session = {
    expiresAtSeconds: Number(match[1]),
    role: match[2] as AdminRole,
    id: match[3]!,
  };
  if (session.expiresAtSeconds * 1000 <= nowMs) return null;
  if (session.role === 'read' && !keys.readToken) return null;
  return (await timingSafeEqualStrings(match[4]!, await signature(keys, session))) ? session : null;
}

/**
 * The token the dashboard's forms carry against cross-site requests (on top of the SameSite=Strict
 * cookie): an HMAC of the session id keyed with ADMIN_TOKEN. Nothing to store: it lives and dies with
 * its session, and a page from another site can neither read it nor compute it.
 */
export async function csrfTokenFor(keys: SessionKeys, session: Session): Promise<string> {
  return toHex(await hmacSha256(keys.adminToken, `dashboard-csrf:${session.id}`));
}

/** Whether a form's token is this session's, compared in constant time. */
export async function isCsrfTokenValid(
  keys: SessionKeys,
  session: Session,
  presented: unknown,
): Promise<boolean> {
  if (typeof presented !== 'string' || !/^[0-9a-f]{64}$/.test(presented)) return false;
  return timingSafeEqualStrings(presented, await csrfTokenFor(keys, session));
}
