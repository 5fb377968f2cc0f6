import { describe, expect, it } from 'vitest';
import { PeriodChart } from '../../src/dashboard/charts';
import {
  MAX_AXIS_LABELS,
  MAX_AXIS_PERCENT,
  dayTicks,
  niceTicks,
  percentTicks,
  placeLabels,
} from '../../src/dashboard/scales';
import { groupNotifications } from '../../src/dashboard/view-model';
import type { DeliveryRecord } from '../../src/notifiers/outbox';

/** Every pair of placed labels at least `gap` apart, and all inside the bounds. */
function apart(placed: { y: number }[], gap: number, top: number, bottom: number): boolean {
  const ys = placed.map((p) => p.y).sort((a, b) => a - b);
  return ys.every(
    (y, i) => y >= top - 1e-9 && y <= bottom + 1e-9 && (i === 0 || y - ys[i - 1]! >= gap - 1e-9),
  );
}

/** The y of a value on a chart whose plot runs from `top` (value `max`) down to `bottom` (0). */
const yOf = (value: number, max: number, top: number, bottom: number) =>
  bottom - (value / max) * (bottom - top);

describe('threshold label placement', () => {
  it.each([
    // name, values (% of limit), axis max, plot top, plot bottom, gap (font + 3)
    ['80/90/100 % on a small chart', [80, 90, 100], 100, 10, 110, 15],
    ['80/90/100 % on the wide chart', [80, 90, 100], 100, 14, 230, 15],
    ['80/90/100 % and a projection at 95 %', [80, 90, 95, 100], 100, 14, 120, 15],
    ['thresholds at the very top of the axis', [98, 99, 100], 100, 14, 230, 15],
    ['thresholds at the very bottom', [0, 1, 2], 100, 14, 230, 15],
    ['more labels than fit', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 100, 0, 60, 15],
  ])('keeps %s apart and inside the plot', (_name, values, max, top, bottom, gap) => {
    const labels = values.map((v, i) => ({ id: `l${i}`, y: yOf(v, max, top, bottom) }));
    const placed = placeLabels(labels, { gap, top, bottom });
    expect(placed).toHaveLength(values.length);
    if ((values.length - 1) * gap <= bottom - top) expect(apart(placed, gap, top, bottom)).toBe(true);
    else expect(apart(placed, (bottom - top) / (values.length - 1), top, bottom)).toBe(true);
  });

  it.each([
    ['labels already far apart stay where they are', [20, 90], [20, 90]],
    ['two labels on one spot are pushed apart', [50, 50], [50, 65]],
    ['a label pushed past the bottom pulls the others up', [100, 100, 100], [70, 85, 100]],
  ])('%s', (_name, ys, expected) => {
    const placed = placeLabels(
      ys.map((y, i) => ({ id: String(i), y })),
      { gap: 15, top: 0, bottom: 100 },
    );
    expect(placed.map((p) => p.y)).toEqual(expected);
  });
});

describe('round axis ticks', () => {
  it.each([
    [40, [0, 25, 50, 75, 100]],
    [100, [0, 25, 50, 75, 100]],
    [100.5, [0, 25, 50, 75, 100, 125]],
    [160, [0, 25, 50, 75, 100, 125, 150, 175]],
    [420, [0, 50, 100, 150, 200, 250, 300, 350, 400, 450]],
  ])('percent axis for a maximum of %s %%: %j', (max, ticks) => {
    expect(percentTicks(max)).toEqual(ticks);
  });

  it.each([
    [0, [0, 0.25, 0.5, 0.75, 1]],
    [7, [0, 2, 4, 6, 8]],
    [20, [0, 5, 10, 15, 20]],
    [23, [0, 10, 20, 30]],
    [111, [0, 50, 100, 150]],
    [1800, [0, 500, 1000, 1500, 2000]],
  ])('count axis for a maximum of %s: %j', (max, ticks) => {
    expect(niceTicks(max, 4)).toEqual(ticks);
  });

  it.each([
    ['a 31-day period, wide', '2026-11-19T10:00:00Z', '2026-12-20T10:00:00Z', 7, 5],
    ['a 31-day period, narrow', '2026-11-19T10:00:00Z', '2026-12-20T10:00:00Z', 4, 3],
    ['a 3-day period', '2026-12-01T00:00:00Z', '2026-12-04T00:00:00Z', 7, 4],
  ])('day ticks for %s: midnights, at most the labels that fit', (_name, start, end, maxLabels, count) => {
    const ticks = dayTicks(Date.parse(start), Date.parse(end), maxLabels);
    expect(ticks).toHaveLength(count);
    expect(ticks.every((t) => t % 86_400_000 === 0)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(maxLabels);
  });
});

/** Ticks an axis can draw: finite, from 0, rising, at most MAX_AXIS_LABELS of them. */
function drawable(ticks: number[]): boolean {
  return (
    ticks.length >= 2 &&
    ticks.length <= MAX_AXIS_LABELS &&
    ticks[0] === 0 &&
    ticks.every((t, i) => Number.isFinite(t) && (i === 0 || t > ticks[i - 1]!))
  );
}

describe('axes sized by whatever Webshare reports', () => {
  it.each([
    [1e9, MAX_AXIS_PERCENT],
    [Number.POSITIVE_INFINITY, MAX_AXIS_PERCENT],
    [Number.MAX_VALUE, MAX_AXIS_PERCENT],
    [1001, MAX_AXIS_PERCENT],
    [999, MAX_AXIS_PERCENT],
    [Number.NaN, 100],
    [-50, 100],
    [Number.NEGATIVE_INFINITY, 100],
  ])('percent axis for a maximum of %s: at most 10 labels, topped at %s', (max, top) => {
    const ticks = percentTicks(max);
    expect(drawable(ticks)).toBe(true);
    expect(ticks.at(-1)).toBe(top);
  });

  it.each([1e9, 1e15, Number.POSITIVE_INFINITY, Number.MAX_VALUE, Number.NaN, -3, Number.NEGATIVE_INFINITY])(
    'count axis for %s: at most 10 finite labels',
    (max) => {
      expect(drawable(niceTicks(max, 4))).toBe(true);
      expect(drawable(niceTicks(max, 1_000_000))).toBe(true);
    },
  );

  it.each([1e9, Number.POSITIVE_INFINITY, Number.NaN, -20])(
    'draws a projection of %s (percent) with at most 10 axis labels, inside the chart, quickly',
    (projected) => {
      const startMs = 0;
      const endMs = 30 * 86_400_000;
      const started = performance.now();
      const svg = String(
        PeriodChart({
          id: 'bandwidth',
          layout: 'wide',
          title: 'Bandwidth',
          description: 'Bandwidth this period',
          startMs,
          endMs,
          unit: 'percent',
          points: [
            { t: 86_400_000, v: 10 },
            { t: 2 * 86_400_000, v: 92 },
          ],
          guides: [{ value: 80, label: '80%' }],
          projection: { target: { t: endMs, v: projected }, label: 'projected' },
        }),
      );
      expect(performance.now() - started).toBeLessThan(100);
      const axisLabels = svg.match(/class="axis"[^>]*>[^<]*%</g) ?? [];
      expect(axisLabels.length).toBeGreaterThan(1);
      expect(axisLabels.length).toBeLessThanOrEqual(MAX_AXIS_LABELS);
      expect(svg).not.toContain('NaN');
      expect(svg).not.toContain('Infinity"');
      // Every drawn y stays within the 260-pixel-high chart.
      const ys = [...svg.matchAll(/\by\d?="(-?[\d.]+)"/g)].map((m) => Number(m[1]));
      expect(ys.every((v) => v >= 0 && v <= 260)).toBe(true);
    },
  );
});

describe('notifications on the dashboard', () => {
  const record = (
    id: string,
    channel: DeliveryRecord['channel'],
    outcome: DeliveryRecord['outcome'],
    at: string,
  ) =>
    ({
      deliveryId: `${id}:${channel}`,
      id,
      channel,
      event: 'alert.firing',
      key: 'bandwidth',
      title: `title ${id}`,
      outcome,
      status: outcome === 'delivered' ? 200 : 500,
      error: null,
      attempts: 1,
      at,
    }) as DeliveryRecord;

  it('groups deliveries per message, newest first, with the latest outcome per channel', () => {
    const groups = groupNotifications([
      record('a', 'slack', 'delivered', '2026-12-01T10:00:00Z'),
      record('a', 'webhook', 'queued', '2026-12-01T10:00:00Z'),
      record('a', 'discord', 'delivered', '2026-12-01T10:00:00Z'),
      record('b', 'slack', 'delivered', '2026-12-01T11:00:00Z'),
      record('a', 'webhook', 'delivered', '2026-12-01T10:05:00Z'),
    ]);
    expect(groups.map((g) => [g.id, g.channels.map((c) => `${c.channel}:${c.outcome}`)])).toEqual([
      ['b', ['slack:delivered']],
      ['a', ['discord:delivered', 'slack:delivered', 'webhook:delivered']],
    ]);
  });
});
