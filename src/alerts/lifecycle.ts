/**
 * The alert lifecycle, a pure state machine per alert key:
 *
 *   inactive ──condition──▶ pending ──held `for` ticks──▶ firing ──condition gone──▶ resolved (inactive)
 *
 * Notifications (transitions) it emits:
 * - `firing` once, when an alert first fires (or when a silence ends on a firing alert never announced);
 * - `escalated` once per step above the highest step already announced (80 → 90 → 100 % is two
 *   escalations; a jump straight to 100 % is one `firing` message, not three);
 * - `reminder` every `repeat_interval_minutes` while firing;
 * - `resolved` once, only for an alert that was announced, to the channels that heard about it.
 * A silenced alert still moves through the states, but emits nothing (a silence scoped to one
 * incident lets that incident's resolved message through: it ends with it). Records are written back
 * only when they change, and volatile numbers (current %) are not part of a record, so a steady
 * incident costs no KV writes.
 */
import type { Evaluation, RuleName } from './types';
import type { Channel, Severity } from '../model/notification';

export interface AlertRecord {
  key: string;
  rule: RuleName;
  status: 'pending' | 'firing';
  /** Step the alert holds now (hysteresis applied). */
  level: number;
  severity: Severity;
  /** Tick (scheduled time, ms) the incident began: part of every notification id. */
  since: number;
  /** Consecutive ticks the condition has held while pending. */
  pendingTicks: number;
  /** Highest step announced this incident; 0 = never announced. */
  announcedLevel: number;
  /** Channels that were sent a message this incident (they get the resolved message). */
  channels: Channel[];
  /** Notifications emitted this incident; the next transition's sequence number. */
  seq: number;
  lastNotifiedAt: number | null;
  /** Title and summary as of the last transition (for /v1/status). */
  title: string;
  summary: string;
}

export type TransitionKind = 'firing' | 'escalated' | 'reminder' | 'resolved';

export interface Transition {
  kind: TransitionKind;
  key: string;
  rule: RuleName;
  since: number;
  /** Sequence number within the incident: (key, since, seq) identifies the transition. */
  seq: number;
  level: number;
  severity: Severity;
  channels: Channel[];
  /** The verdict that caused it; for `resolved`, the last one seen (status ok). */
  evaluation: Evaluation;
  /** Title/summary announced before (for resolved messages). */
  previousTitle: string;
}

export interface LifecycleInput {
  records: Readonly<Record<string, AlertRecord>>;
  evaluations: Evaluation[];
  /** Rules whose alerts hold this tick (data missing). */
  held: readonly RuleName[];
  /** The tick's scheduled time (ms): deterministic, the same for every run over one snapshot. */
  tick: number;
  /** The clock (ms), for reminders. */
  nowMs: number;
  pendingTicks: number;
  repeatIntervalMs: number;
  /**
   * `sinceMs` (the incident's start) is given for firing messages only: a silence scoped to one
   * incident mutes that incident while it fires, not its resolved message.
   */
  isSilenced: (key: string, rule: string, sinceMs?: number) => boolean;
  channelsFor: (severity: Severity) => Channel[];
}

export interface LifecycleOutput {
  records: Record<string, AlertRecord>;
  transitions: Transition[];
}

export function stepLifecycle(input: LifecycleInput): LifecycleOutput {
  const records: Record<string, AlertRecord> = {};
  const transitions: Transition[] = [];
  const seen = new Set<string>();

  for (const evaluation of input.evaluations) {
    seen.add(evaluation.key);
    const prior = input.records[evaluation.key];
    if (evaluation.status === 'unknown') {
      if (prior) records[prior.key] = prior;
      continue;
    }
    if (evaluation.status === 'ok') {
      if (prior) resolve(prior, evaluation, input, transitions);
      continue;
    }
    const next = fire(prior, evaluation, input, transitions);
    records[next.key] = next;
  }

  // Keys no rule spoke about: their subject is gone (a deleted sub-user), unless their rule is held.
  for (const prior of Object.values(input.records)) {
    if (seen.has(prior.key)) continue;
    if (input.held.includes(prior.rule)) {
      records[prior.key] = prior;
      continue;
    }
    const gone: Evaluation = {
      key: prior.key,
      rule: prior.rule,
      status: 'ok',
      level: 0,
      severity: prior.severity,
      title: prior.title,
      summary: 'no longer reported',
      fields: [],
      values: {},
    };
    resolve(prior, gone, input, transitions);
  }
  return { records, transitions };
}

function resolve(prior: AlertRecord, evaluation: Evaluation, input: LifecycleInput, out: Transition[]): void {
  if (prior.status !== 'firing' || prior.announcedLevel === 0 || prior.channels.length === 0) return;
  if (input.isSilenced(prior.key, prior.rule)) return;
  out.push({
    kind: 'resolved',
    key: prior.key,
    rule: prior.rule,
    since: prior.since,
    seq: prior.seq,
    level: 0,
    severity: prior.severity,
    channels: prior.channels,
    evaluation,
    previousTitle: prior.title,
  });
}

function fire(
  prior: AlertRecord | undefined,
  evaluation: Evaluation,
  input: LifecycleInput,
  out: Transition[],
): AlertRecord {
  const record: AlertRecord = prior
    ? { ...prior, level: evaluation.level, severity: evaluation.severity }
    : {
        key: evaluation.key,
        rule: evaluation.rule,
        status: 'pending',
        level: evaluation.level,
        severity: evaluation.severity,
        since: input.tick,
        pendingTicks: 0,
        announcedLevel: 0,
        channels: [],
        seq: 0,
        lastNotifiedAt: null,
        title: evaluation.title,
        summary: evaluation.summary,
      };

  if (record.status === 'pending') {
    record.pendingTicks += 1;
    const needed = (evaluation.forTicks ?? input.pendingTicks) + 1;
    if (record.pendingTicks < needed) return record;
    record.status = 'firing';
    record.pendingTicks = 0;
    record.title = evaluation.title;
    record.summary = evaluation.summary;
  }

  if (input.isSilenced(record.key, record.rule, record.since)) return record;

  let kind: TransitionKind | null = null;
  if (record.announcedLevel === 0) kind = 'firing';
  else if (record.level > record.announcedLevel) kind = 'escalated';
  else if (record.lastNotifiedAt !== null && input.nowMs - record.lastNotifiedAt >= input.repeatIntervalMs)
    kind = 'reminder';
  if (kind === null) return record;

  const channels = input.channelsFor(record.severity);
  out.push({
    kind,
    key: record.key,
    rule: record.rule,
    since: record.since,
    seq: record.seq,
    level: record.level,
    severity: record.severity,
    channels,
    evaluation,
    previousTitle: record.title,
  });
  record.seq += 1;
  record.announcedLevel = Math.max(record.announcedLevel, record.level);
  record.lastNotifiedAt = input.nowMs;
  record.title = evaluation.title;
  record.summary = evaluation.summary;
  record.channels = [...new Set([...record.channels, ...channels])];
  return record;
}
