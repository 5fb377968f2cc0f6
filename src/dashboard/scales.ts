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

/** Ticks from 0 to a round top covering `max`, about `count` intervals. */
export function niceTicks(max: number, count = 4): number[] {
  const step = niceStep(max > 0 ? max : 1, count);
  const top = Math.max(step, Math.ceil((max > 0 ? max : 1) / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(Math.round(value * 1e6) / 1e6);
  return ticks;
}

/** Percent ticks: every 25 % (50 % past 200 %) up to at least 100 %, further when a value goes past it. */
export function percentTicks(max: number): number[] {
  const step = max > 200 ? 50 : 25;
  const top = Math.max(100, Math.ceil(max / step) * step);
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
