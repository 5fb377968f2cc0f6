/**
 * The Webshare dialect: which of Webshare's two API generations the account is spoken to in. This is
 * its one name, `WebshareDialect`, and the only place outside src/webshare/ where its values are
 * spelled (test/architecture/one-port.test.ts): everything that differs between them is a property
 * of the Webshare port (src/webshare/port.ts), so the rest of the worker stores and shows the name
 * but never branches on it.
 */

/** Legacy `/api/…` (v1) and current `/api/v2/` + `/api/v3/` (v2). */
export const WEBSHARE_DIALECTS = ['v1', 'v2'] as const;
export type WebshareDialect = (typeof WEBSHARE_DIALECTS)[number];

/** WEBSHARE_API_VERSION: a dialect, or `auto` (probe once, then remember). */
export const DIALECT_SETTINGS = ['auto', ...WEBSHARE_DIALECTS] as const;
export type DialectSetting = (typeof DIALECT_SETTINGS)[number];

export function isWebshareDialect(value: unknown): value is WebshareDialect {
  return (WEBSHARE_DIALECTS as readonly unknown[]).includes(value);
}

/** Snapshots stored before the worker spoke v2 carry no dialect: every one of them was taken in v1. */
export const DIALECT_OF_UNMARKED_SNAPSHOTS: WebshareDialect = 'v1';

/** Which dialect the account is spoken to in, and how that was decided (kept in the poller state). */
export interface DialectChoice {
  dialect: WebshareDialect;
  /** `config`: WEBSHARE_API_VERSION named it; `probe`: auto found it. */
  source: 'config' | 'probe';
  decided_at: string;
}
