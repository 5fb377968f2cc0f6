/**
 * Inline-SVG charts for the dashboard, rendered on the server: no chart library, no script, so the
 * page works under a CSP that forbids scripts and loads nothing from elsewhere. Each chart comes in a
 * wide and a narrow layout (CSS shows one), so its text stays at its real size on a phone instead of
 * a desktop chart shrunk to a third.
 */

export interface Point {
  t: number;
  v: number;
}

import { html } from 'hono/html';
import { formatDay } from '../lib/format';
import { axisValue, dayTicks, niceTicks, percentTicks, placeLabels } from './scales';

/** Two layouts of one chart: the page shows the wide one on a desktop, the narrow one on a phone. */
export const CHART_LAYOUTS = {
  wide: { width: 800, height: 260, font: 12, maxDayLabels: 7 },
  narrow: { width: 360, height: 250, font: 12, maxDayLabels: 4 },
} as const;
export type ChartLayout = keyof typeof CHART_LAYOUTS;

const PAD = { left: 46, right: 56, top: 14, bottom: 30 };

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value: number) => r0 + ((value - d0) / span) * (r1 - r0);
}

export interface PeriodChartProps {
  id: string;
  layout: ChartLayout;
  /** Short name: the SVG's <title>. */
  title: string;
  /** What the chart shows, in words: the SVG's <desc> (screen readers read it). */
  description: string;
  startMs: number;
  endMs: number;
  points: Point[];
  unit: 'percent' | 'count';
  /** Horizontal reference lines with a label in the right margin, e.g. alert thresholds. */
  guides?: { value: number; label: string }[];
  /** Where the series is heading by `endMs` (dashed), with its own label in the right margin. */
  projection?: { target: Point; label: string };
}

function tickText(value: number, unit: PeriodChartProps['unit']): string {
  return unit === 'percent' ? `${value}%` : String(value);
}

/**
 * A billing-period chart: the x axis is the whole period (day ticks), the y axis has round ticks,
 * labels never overlap (threshold and projection labels share the right margin, spaced by
 * placeLabels), and it carries <title>/<desc> for assistive technology.
 */
export function PeriodChart(props: PeriodChartProps) {
  const layout = CHART_LAYOUTS[props.layout];
  const { width, height, font } = layout;
  const points = props.points.filter((p) => p.t >= props.startMs && p.t <= props.endMs);
  const plotRight = width - PAD.right;
  const plotBottom = height - PAD.bottom;
  const target = props.projection && points.length > 0 ? props.projection.target : null;
  const values = [...points.map((p) => p.v), ...(props.guides ?? []).map((g) => g.value), target?.v ?? 0];
  const max = Math.max(0, ...values);
  const ticks = props.unit === 'percent' ? percentTicks(max) : niceTicks(max, 4);
  const top = ticks.at(-1) ?? 1;
  const x = scale([props.startMs, props.endMs], [PAD.left, plotRight]);
  const toY = scale([0, top], [plotBottom, PAD.top]);
  // A value past the axis (or not a number) is drawn at its edge, never outside the chart.
  const y = (value: number) => toY(axisValue(value, top));
  const path = (list: Point[]) => list.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const first = points[0];
  const last = points.at(-1);
  const titleId = `${props.id}-${props.layout}-title`;
  const descId = `${props.id}-${props.layout}-desc`;

  const marginLabels = [
    ...(props.guides ?? []).map((g, i) => ({
      id: `guide-${i}`,
      y: y(g.value),
      text: g.label,
      cls: 'guide-label',
    })),
    ...(target && props.projection
      ? [{ id: 'projection', y: y(target.v), text: props.projection.label, cls: 'projection-label' }]
      : []),
  ];
  const placed = new Map(
    placeLabels(marginLabels, { gap: font + 3, top: PAD.top, bottom: plotBottom }).map((l) => [l.id, l.y]),
  );

  const grid = ticks.map(
    (value) =>
      html`<g><line class="grid" x1="${PAD.left}" x2="${plotRight}" y1="${y(value)}" y2="${y(value)}"></line><text class="axis" x="${PAD.left - 6}" y="${y(value) + font / 3}" text-anchor="end" font-size="${font}">${tickText(value, props.unit)}</text></g>`,
  );
  const days = dayTicks(props.startMs, props.endMs, layout.maxDayLabels).map(
    (t) =>
      html`<g><line class="tick" x1="${x(t)}" x2="${x(t)}" y1="${plotBottom}" y2="${plotBottom + 4}"></line><text class="axis" x="${x(t)}" y="${height - 8}" text-anchor="middle" font-size="${font}">${formatDay(t)}</text></g>`,
  );
  const guides = (props.guides ?? []).map(
    (guide) =>
      html`<line class="guide" x1="${PAD.left}" x2="${plotRight}" y1="${y(guide.value)}" y2="${y(guide.value)}"></line>`,
  );
  const series =
    first && last
      ? html`<g>${[
          html`<polygon class="area" points="${x(first.t).toFixed(1)},${y(0).toFixed(1)} ${path(points)} ${x(last.t).toFixed(1)},${y(0).toFixed(1)}"></polygon>`,
          html`<polyline class="line" points="${path(points)}"></polyline>`,
          html`<line class="now" x1="${x(last.t)}" x2="${x(last.t)}" y1="${PAD.top}" y2="${plotBottom}"></line>`,
          target
            ? html`<polyline class="projection" data-series="projection" points="${path([last, target])}"></polyline>`
            : null,
          html`<circle class="dot" cx="${x(last.t)}" cy="${y(last.v)}" r="4"></circle>`,
        ]}</g>`
      : html`<text class="axis" x="${(PAD.left + plotRight) / 2}" y="${(PAD.top + plotBottom) / 2}" text-anchor="middle" font-size="${font}">No data in this period yet</text>`;
  const labels = marginLabels.map(
    (label) =>
      html`<text class="${label.cls}" x="${plotRight + 6}" y="${(placed.get(label.id) ?? label.y) + font / 3}" font-size="${font}">${label.text}</text>`,
  );
  return html`<svg class="chart ${props.layout}" data-chart="${props.id}" data-layout="${props.layout}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${titleId} ${descId}">${[
    html`<title id="${titleId}">${props.title}</title>`,
    html`<desc id="${descId}">${props.description}</desc>`,
    grid,
    days,
    guides,
    series,
    labels,
  ]}</svg>`;
}

/** A semicircular gauge for a percentage (clamped to 0–100 for the arc; the label shows the real value). */
export function Gauge(props: { id: string; percent: number | null; label: string; sublabel: string }) {
  const value = props.percent ?? 0;
  const clamped = Math.max(0, Math.min(100, value));
  const angle = Math.PI * (1 - clamped / 100);
  const cx = 100;
  const cy = 100;
  const r = 80;
  const endX = cx + r * Math.cos(angle);
  const endY = cy - r * Math.sin(angle);
  const severity = value >= 100 ? 'critical' : value >= 80 ? 'warning' : 'ok';
  return html`<svg class="gauge ${severity}" data-chart="${props.id}" viewBox="0 0 200 120" role="img" aria-label="${props.label}: ${props.percent === null ? 'unlimited' : `${value.toFixed(1)}%`}"><path class="track" d="M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${cx + r} ${cy}"></path>${
    clamped > 0
      ? html`<path class="value" d="M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${endX.toFixed(1)} ${endY.toFixed(1)}"></path>`
      : null
  }<text class="gauge-value" x="${cx}" y="${cy - 12}" text-anchor="middle">${props.percent === null ? '∞' : `${value.toFixed(1)}%`}</text><text class="gauge-label" x="${cx}" y="${cy + 14}" text-anchor="middle">${props.sublabel}</text></svg>`;
}

/**
 * A horizontal usage bar. SVG rather than a styled <div>: a width in a `style` attribute would need
 * 'unsafe-inline' in the CSP, an SVG attribute does not.
 */
export function UsageBar(props: { percent: number | null; label: string }) {
  const value = props.percent ?? 0;
  const severity = value >= 100 ? 'critical' : value >= 80 ? 'warning' : 'ok';
  return html`<svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="${props.label}"><rect class="track" x="0" y="0" width="100" height="6" rx="3"></rect><rect class="fill ${severity}" x="0" y="0" width="${Math.min(100, value).toFixed(1)}" height="6" rx="3"></rect></svg>`;
}
