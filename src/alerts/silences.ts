/**
 * Silences: mute notifications for matching alerts between `starts_at` and `ends_at`. A matcher names
 * an alert key (`bandwidth`, `subuser:42`, or a prefix ending in `*` such as `subuser:*`) and/or a rule;
 * both must match when both are given. Silenced alerts still change state — they just emit nothing,
 * and an alert first announced after its silence ends gets its firing message then.
 * All silences live in one KV document (src/storage/silences.ts), written only when one is created
 * or deleted.
 */
import { SILENCES_LIMIT } from '../storage/keys';
import { readSilencesDoc, writeSilencesDoc } from '../storage/silences';

export interface SilenceMatcher {
  key?: string;
  rule?: string;
}

export interface Silence {
  id: string;
  matcher: SilenceMatcher;
  starts_at: string;
  ends_at: string;
  comment: string;
  created_at: string;
}

interface SilencesDoc {
  v: 1;
  silences: Silence[];
}

export function matchesSilence(silence: Silence, key: string, rule: string, nowMs: number): boolean {
  if (Date.parse(silence.starts_at) > nowMs || Date.parse(silence.ends_at) <= nowMs) return false;
  const { key: keyMatcher, rule: ruleMatcher } = silence.matcher;
  if (keyMatcher === undefined && ruleMatcher === undefined) return false;
  if (ruleMatcher !== undefined && ruleMatcher !== rule) return false;
  if (keyMatcher !== undefined) {
    if (keyMatcher.endsWith('*')) return key.startsWith(keyMatcher.slice(0, -1));
    return keyMatcher === key;
  }
  return true;
}

export function isSilenced(silences: readonly Silence[], key: string, rule: string, nowMs: number): boolean {
  return silences.some((s) => matchesSilence(s, key, rule, nowMs));
}

/** Reads the silences (one KV read); expired ones are filtered out, not rewritten. */
export async function readSilences(kv: KVNamespace, nowMs: number): Promise<Silence[]> {
  const doc = await readSilencesDoc<SilencesDoc>(kv);
  return (doc?.silences ?? []).filter((s) => Date.parse(s.ends_at) > nowMs);
}

export class SilenceLimitError extends Error {
  override name = 'SilenceLimitError';
}

export async function addSilence(
  kv: KVNamespace,
  input: Omit<Silence, 'id' | 'created_at'>,
  nowMs: number,
): Promise<Silence> {
  const silences = await readSilences(kv, nowMs);
  if (silences.length >= SILENCES_LIMIT) {
    throw new SilenceLimitError(`at most ${SILENCES_LIMIT} active silences; delete one first`);
  }
  const silence: Silence = {
    id: `sil_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
    matcher: input.matcher,
    starts_at: input.starts_at,
    ends_at: input.ends_at,
    comment: input.comment,
    created_at: new Date(nowMs).toISOString(),
  };
  await writeSilencesDoc(kv, { v: 1, silences: [...silences, silence] } satisfies SilencesDoc);
  return silence;
}

/** Deletes a silence; false when there is none with that id (or it already ended). */
export async function deleteSilence(kv: KVNamespace, id: string, nowMs: number): Promise<boolean> {
  const silences = await readSilences(kv, nowMs);
  const kept = silences.filter((s) => s.id !== id);
  if (kept.length === silences.length) return false;
  await writeSilencesDoc(kv, { v: 1, silences: kept } satisfies SilencesDoc);
  return true;
}
