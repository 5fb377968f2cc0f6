/**
 * Inline-SVG charts for the dashboard, rendered on the server: no chart library, no script, so the
 * page works under a CSP that forbids scripts and loads nothing from elsewhere.
 */

export interface Point {
  t: number;
  v: number;
}

const WIDTH = 800;
const HEIGHT = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 26 };

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value: number) => r0 + ((value - d0) / span) * (r1 - r0);
}

function timeLabel(ms: number): string {
  return new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
}

export interface LineChartProps {
  id: string;
  label: string;
  points: Point[];
  unit: string;
  /** Horizontal reference lines, e.g. alert thresholds. */
  guides?: { value: number; label: string }[];
  /**
   * Where the series is heading, e.g. the projected usage at the end of the billing period. It gets its
   * own zone at the right, from "now" to the target's date, with both dates labelled: the period end is
   * often weeks past the history shown, and one time scale for both would squash the history.
   */
  projection?: { target: Point; label: string };
  yMin?: number;
  yMax?: number;
}

/** Width of the projection zone, as a share of the plot. */
const PROJECTION_ZONE_SHARE = 0.22;

export function LineChart(props: LineChartProps) {
  if (props.points.length === 0) {
    return (
      <p class="empty" data-chart={props.id}>
        No history yet: the chart fills in as the cron runs.
      </p>
    );
  }
  const first = props.points[0]!;
  const last = props.points[props.points.length - 1]!;
  const target = props.projection && props.projection.target.t > last.t ? props.projection.target : null;
  const plotRight = WIDTH - PAD.right;
  const historyRight = target ? plotRight - (plotRight - PAD.left) * PROJECTION_ZONE_SHARE : plotRight;
  const x = scale([first.t, Math.max(last.t, first.t + 1)], [PAD.left, historyRight]);
  const values = [
    ...props.points.map((p) => p.v),
    ...(props.guides ?? []).map((g) => g.value),
    target?.v ?? 0,
  ];
  const yMax = props.yMax ?? Math.max(1, ...values) * 1.1;
  const y = scale([props.yMin ?? 0, yMax], [HEIGHT - PAD.bottom, PAD.top]);
  const path = (points: Point[]) => points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const area = `${x(first.t).toFixed(1)},${y(0).toFixed(1)} ${path(props.points)} ${x(last.t).toFixed(1)},${y(0).toFixed(1)}`;
  return (
    <svg
      class="chart"
      data-chart={props.id}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${props.label}: latest ${last.v.toFixed(1)} ${props.unit}${props.projection ? `, ${props.projection.label}` : ''}`}
    >
      <title>{props.label}</title>
      {[0, 0.5, 1].map((f) => {
        const value = (props.yMin ?? 0) + f * (yMax - (props.yMin ?? 0));
        return (
          <g>
            <line class="grid" x1={PAD.left} x2={plotRight} y1={y(value)} y2={y(value)} />
            <text class="axis" x={PAD.left - 6} y={y(value) + 4} text-anchor="end">
              {value.toFixed(value >= 10 ? 0 : 1)}
            </text>
          </g>
        );
      })}
      {(props.guides ?? []).map((guide) => (
        <g class="guide">
          <line x1={PAD.left} x2={plotRight} y1={y(guide.value)} y2={y(guide.value)} />
          <text x={PAD.left + 4} y={y(guide.value) - 3}>
            {guide.label}
          </text>
        </g>
      ))}
      <polygon class="area" points={area} />
      <polyline class="line" points={path(props.points)} />
      {target && props.projection ? (
        <g>
          <line class="now" x1={historyRight} x2={historyRight} y1={PAD.top} y2={HEIGHT - PAD.bottom} />
          <polyline
            class="projection"
            data-series="projection"
            points={`${historyRight.toFixed(1)},${y(last.v).toFixed(1)} ${plotRight.toFixed(1)},${y(target.v).toFixed(1)}`}
          />
          <text
            class="projection-label"
            x={plotRight}
            y={Math.max(PAD.top + 10, y(target.v) - 6)}
            text-anchor="end"
          >
            {props.projection.label}
          </text>
          <text class="axis" x={plotRight} y={HEIGHT - 6} text-anchor="end">
            {timeLabel(target.t)}
          </text>
        </g>
      ) : null}
      <circle class="dot" cx={x(last.t)} cy={y(last.v)} r="3.5" />
      <text class="axis" x={PAD.left} y={HEIGHT - 6}>
        {timeLabel(first.t)}
      </text>
      {last.t > first.t ? (
        <text class="axis" x={historyRight} y={HEIGHT - 6} text-anchor={target ? 'middle' : 'end'}>
          {target ? 'now' : timeLabel(last.t)}
        </text>
      ) : null}
    </svg>
  );
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
  return (
    <svg
      class={`gauge ${severity}`}
      data-chart={props.id}
      viewBox="0 0 200 120"
      role="img"
      aria-label={`${props.label}: ${props.percent === null ? 'unlimited' : `${value.toFixed(1)}%`}`}
    >
      <path class="track" d={`M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${cx + r} ${cy}`} />
      {clamped > 0 ? (
        <path class="value" d={`M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${endX.toFixed(1)} ${endY.toFixed(1)}`} />
      ) : null}
      <text class="gauge-value" x={cx} y={cy - 12} text-anchor="middle">
        {props.percent === null ? '∞' : `${value.toFixed(1)}%`}
      </text>
      <text class="gauge-label" x={cx} y={cy + 14} text-anchor="middle">
        {props.sublabel}
      </text>
    </svg>
  );
}

/**
 * A horizontal usage bar. SVG rather than a styled <div>: a width in a `style` attribute would need
 * 'unsafe-inline' in the CSP, an SVG attribute does not.
 */
export function UsageBar(props: { percent: number | null; label: string }) {
  const value = props.percent ?? 0;
  const severity = value >= 100 ? 'critical' : value >= 80 ? 'warning' : 'ok';
  return (
    <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={props.label}>
      <rect class="track" x="0" y="0" width="100" height="6" rx="3" />
      <rect
        class={`fill ${severity}`}
        x="0"
        y="0"
        width={Math.min(100, value).toFixed(1)}
        height="6"
        rx="3"
      />
    </svg>
  );
}
