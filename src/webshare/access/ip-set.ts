/**
 * Authorised-IP sets as Webshare keeps them: single addresses, one spelling each. The diff is what
 * every dialect applies and what the admin API answers with (`added`, `removed`).
 */
import { canonicalIp } from '../../lib/ip';

export interface AuthorizedIpsChange {
  /** Addresses authorised by this change, in the order they were asked for. */
  added: string[];
  /** Addresses no longer authorised, in Webshare's order. */
  removed: string[];
  /** The whole set afterwards. */
  authorized_ips: string[];
}

/** An edit of the current set: replace it, or add and remove a few addresses. */
export type AuthorizedIpsEdit = (current: readonly string[]) => string[];

export const replaceWith =
  (next: readonly string[]): AuthorizedIpsEdit =>
  () => [...next];

export const adding =
  (ips: readonly string[]): AuthorizedIpsEdit =>
  (current) => [...current, ...ips];

export const removing = (ips: readonly string[]): AuthorizedIpsEdit => {
  const gone = new Set(ips.map(spelling));
  return (current) => current.filter((ip) => !gone.has(spelling(ip)));
};

/** The canonical spelling, or the text itself for something Webshare holds that we cannot parse. */
export function spelling(ip: string): string {
  return canonicalIp(ip) ?? ip.trim();
}

/** Keeps the first of each address (by canonical spelling). */
export function uniqueIps(ips: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const ip of ips) {
    const key = spelling(ip);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(key);
  }
  return out;
}

/** What turns `current` into `next`: `next` keeps Webshare's spelling of addresses it already holds. */
export function diffIps(current: readonly string[], next: readonly string[]): AuthorizedIpsChange {
  const held = new Map(current.map((ip) => [spelling(ip), ip]));
  const wanted = uniqueIps(next);
  const wantedSet = new Set(wanted);
  return {
    added: wanted.filter((ip) => !held.has(ip)),
    removed: current.filter((ip) => !wantedSet.has(spelling(ip))),
    authorized_ips: wanted.map((ip) => held.get(ip) ?? ip),
  };
}
