/**
 * Silences: mute notifications for matching alerts between `starts_at` and `ends_at`. A matcher names
 * an alert key (`bandwidth`, `subuser:42`, or a prefix ending in `*` such as `subuser:*`) and/or a rule;
 * both must match when both are given. Silenced alerts still change state — they just emit nothing,
 * and an alert first announced after its silence ends gets its firing message then.
 *
 * A silence may also name one incident (`incident`: the ISO time the alert began, the `since` of its
 * notifications): Slack's "Silence until resolved" button. It mutes only that incident's firing
 * messages, so it ends when the incident resolves — the resolved message is sent, and a new incident
 * of the same key is announced. Its `ends_at` is only a backstop (INCIDENT_SILENCE_MAX_MS); the engine
 * deletes it once its incident is over (pruneIncidentSilences).
 * All silences live in one KV document (src/storage/silences.ts), written only when one is created
 * or deleted.
 */
import { SILENCES_LIMIT } from '../storage/keys';
import { readSilencesDoc, writeSilencesDoc } from '../storage/silences';

export interface SilenceMatcher {
  key?: string;
  rule?: string;
  /** ISO start of one incident of `key`: the silence covers that incident's firing messages only. */
  incident?: string;
}

/** What a silence is checked against: an alert, and the incident it is in while it fires. */
export interface SilencedAlert {
  key: string;
  rule: string;
  /** The incident's start (ms) while firing; absent for the resolved message (see the header). */
  sinceMs?: number | undefined;
}

/** The backstop end of an incident silence: a month, the longest silence chat-ops accepts. */
export const INCIDENT_SILENCE_MAX_MS = 30 * 86_400_000;

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

export function matchesSilence(silence: Silence, alert: SilencedAlert, nowMs: number): boolean {
  if (Date.parse(silence.starts_at) > nowMs || Date.parse(silence.ends_at) <= nowMs) return false;
  const { key, rule } = alert;
  const { key: keyMatcher, rule: ruleMatcher, incident } = silence.matcher;
  if (keyMatcher === undefined && ruleMatcher === undefined) return false;
  if (incident !== undefined && (alert.sinceMs === undefined || Date.parse(incident) !== alert.sinceMs))
    return false;
  if (ruleMatcher !== undefined && ruleMatcher !== rule) return false;
  if (keyMatcher !== undefined) {
    if (keyMatcher.endsWith('*')) return key.startsWith(keyMatcher.slice(0, -1));
    return keyMatcher === key;
  }
  return true;
}

export function isSilenced(silences: readonly Silence[], alert: SilencedAlert, nowMs: number): boolean {
  return silences.some((s) => matchesSilence(s, alert, nowMs));
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
  return (await deleteSilences(kv, new Set([id]), nowMs)) > 0;
}

/** Deletes the silences with these ids (one read, one write when any is there); how many went. */
async function deleteSilences(kv: KVNamespace, ids: ReadonlySet<string>, nowMs: number): Promise<number> {
  const silences = await readSilences(kv, nowMs);
  const kept = silences.filter((s) => !ids.has(s.id));
  if (kept.length === silences.length) return 0;
  await writeSilencesDoc(kv, { v: 1, silences: kept } satisfies SilencesDoc);
  return silences.length - kept.length;
}

/**
 * Deletes incident silences whose incident is over: `ongoing(key, sinceMs)` says whether the alert
 * still holds that incident. Costs nothing unless one ended in `silences` (what the caller read);
 * then it reads the document afresh (a silence added since is kept) and writes it.
 */
export async function pruneIncidentSilences(
  kv: KVNamespace,
  silences: readonly Silence[],
  ongoing: (key: string, sinceMs: number) => boolean,
  nowMs: number,
): Promise<{ pruned: number; kvReads: number; kvWrites: number }> {
  const ended = silences.filter(({ matcher }) => {
    if (matcher.incident === undefined || matcher.key === undefined) return false;
    return !ongoing(matcher.key, Date.parse(matcher.incident));
  });
  if (ended.length === 0) return { pruned: 0, kvReads: 0, kvWrites: 0 };
  const pruned = await deleteSilences(kv, new Set(ended.map((s) => s.id)), nowMs);
  return { pruned, kvReads: 1, kvWrites: pruned > 0 ? 1 : 0 };
}
