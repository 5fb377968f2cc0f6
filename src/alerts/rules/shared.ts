/** What every rule shares: its input, the ok/unknown results, hysteresis and time helpers. */
import type { Snapshot } from '../../model/snapshot';
import type { AlertsConfig } from '../../config/alerts';
import type { Evaluation } from '../types';

export interface RuleInput {
  current: Snapshot;
  previous: Snapshot | null;
  /** Older snapshots, oldest first (may be empty). */
  history: Snapshot[];
  config: AlertsConfig;
  /** Level each active (pending or firing) alert holds now, by key; absent = inactive. */
  prior: Readonly<Record<string, number>>;
}

export const DAY_MS = 86_400_000;

/** The time the snapshot describes. */
export function snapshotTimeMs(snapshot: Snapshot): number {
  const taken = Date.parse(snapshot.taken_at);
  return Number.isNaN(taken) ? snapshot.scheduled_time : taken;
}

export type Base = Pick<Evaluation, 'key' | 'rule'>;

export function unknown(base: Base): Evaluation {
  return {
    ...base,
    status: 'unknown',
    level: 0,
    severity: 'info',
    title: '',
    summary: '',
    fields: [],
    values: {},
  };
}

export function ok(base: Base, values: Evaluation['values'] = {}): Evaluation {
  return { ...base, status: 'ok', level: 0, severity: 'info', title: '', summary: '', fields: [], values };
}

/**
 * Step reached by `value` over ascending `thresholds`, 0 when below the first. An alert already at
 * step `prior` keeps every step whose threshold minus `margin` the value still reaches.
 */
export function stepWithHysteresis(
  value: number,
  thresholds: number[],
  prior: number,
  margin: number,
): number {
  let raw = 0;
  thresholds.forEach((t, i) => {
    if (value >= t) raw = i + 1;
  });
  let hold = 0;
  for (let step = Math.min(prior, thresholds.length); step >= 1; step--) {
    if (value >= (thresholds[step - 1] ?? Infinity) - margin) {
      hold = step;
      break;
    }
  }
  return Math.max(raw, hold);
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
