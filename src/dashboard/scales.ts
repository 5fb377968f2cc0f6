/**
 * Axis and label arithmetic for the dashboard's charts, pure so it is tested with tables: round tick
 * values (0/25/50/75/100 %, 0/10/20 GB), day ticks for a billing period, and a vertical placement of
 * labels (threshold names) that never lets two overlap.
 */

const MS_PER_DAY = 86_400_000;

/** A round step near `span / count`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || count < 1) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

/**
 * The most labels an axis draws, and the highest a percent axis goes. The values come from Webshare
 * (a projection of 1e9 % has been seen): an axis sized by them alone once drew twenty million ticks.
 * A value past the top is drawn at the top, and its label still says the real figure.
 */
export const MAX_AXIS_LABELS = 10;
export const MAX_AXIS_PERCENT = 1000;

/** A figure an axis can be sized by: NaN and negatives are 0, +Infinity is `ceiling`. */
export function axisValue(value: number, ceiling: number): number {
  if (Number.isNaN(value) || value <= 0) return 0;
  return Math.min(value, ceiling);
}

/** Ticks from 0 to a round top covering `max`, about `count` intervals. */
export function niceTicks(max: number, count = 4): number[] {
  const covered = axisValue(max, Number.MAX_SAFE_INTEGER) || 1;
  const intervals = Math.min(Math.max(1, count), MAX_AXIS_LABELS - 1);
  const step = niceStep(covered, intervals);
  const top = Math.max(step, Math.ceil(covered / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(Math.round(value * 1e6) / 1e6);
  return ticks;
}

/** Steps of a percent axis, finest first; 25 % only up to 200 %, as before the cap. */
const PERCENT_STEPS = [25, 50, 100, 250];

/**
 * Percent ticks: every 25 % (50 % past 200 %, coarser further up) from 0 to at least 100 %, further when
 * a value goes past it, never above MAX_AXIS_PERCENT nor more than MAX_AXIS_LABELS labels.
 */
export function percentTicks(max: number): number[] {
  const covered = axisValue(max, MAX_AXIS_PERCENT);
  const steps = PERCENT_STEPS.filter((step) => covered <= 200 || step > 25);
  const step =
    steps.find((s) => Math.max(100, Math.ceil(covered / s) * s) / s + 1 <= MAX_AXIS_LABELS) ?? steps.at(-1)!;
  const top = Math.max(100, Math.ceil(covered / step) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  return ticks;
}

/** Midnights (UTC) from `startMs` to `endMs`, every 1, 2, 7 or 14 days: at most `maxLabels` of them. */
export function dayTicks(startMs: number, endMs: number, maxLabels: number): number[] {
  const first = Math.ceil(startMs / MS_PER_DAY) * MS_PER_DAY;
  const days = Math.max(0, Math.floor((endMs - first) / MS_PER_DAY)) + 1;
  const step = [1, 2, 7, 14, 28].find((s) => Math.ceil(days / s) <= maxLabels) ?? Math.ceil(days / maxLabels);
  const ticks: number[] = [];
  for (let t = first; t <= endMs; t += step * MS_PER_DAY) ticks.push(t);
  return ticks;
}

export interface LabelSlot {
  id: string;
  /** Wanted centre (SVG y, growing downwards). */
  y: number;
}

/**
 * Moves labels apart so any two centres are at least `gap` apart, each as close to where it wants to
 * be as that allows, all within `top..bottom`. Sweeps down pushing overlaps apart, then back up from
 * the bottom bound; with more labels than fit, they are spread evenly instead.
 */
export function placeLabels(
  labels: readonly LabelSlot[],
  options: { gap: number; top: number; bottom: number },
): LabelSlot[] {
  const { gap, top, bottom } = options;
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  if (sorted.length === 0) return [];
  if ((sorted.length - 1) * gap > bottom - top) {
    const spread = sorted.length > 1 ? (bottom - top) / (sorted.length - 1) : 0;
    return sorted.map((label, i) => ({ id: label.id, y: top + i * spread }));
  }
  const ys = sorted.map((label) => Math.min(bottom, Math.max(top, label.y)));
  for (let i = 1; i < ys.length; i++) ys[i] = Math.max(ys[i]!, ys[i - 1]! + gap);
  ys[ys.length - 1] = Math.min(ys[ys.length - 1]!, bottom);
  for (let i = ys.length - 2; i >= 0; i--) ys[i] = Math.min(ys[i]!, ys[i + 1]! - gap);
  return sorted.map((label, i) => ({ id: label.id, y: ys[i]! }));
}
