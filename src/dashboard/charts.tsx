/**
 * Inline-SVG charts for the dashboard, rendered on the server: no chart library, no script, so the
 * page works under a CSP that forbids scripts and loads nothing from elsewhere.
 */

export interface Point {
  t: number;
  v: number;
}

const WIDTH = 640;
const HEIGHT = 200;
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
  /** A dashed continuation, e.g. the projection to the end of the billing period. */
  projection?: Point[];
  yMin?: number;
  yMax?: number;
}

export function LineChart(props: LineChartProps) {
  const all = [...props.points, ...(props.projection ?? [])];
  if (props.points.length === 0) {
    return (
      <p class="empty" data-chart={props.id}>
        No history yet: the chart fills in as the cron runs.
      </p>
    );
  }
  const times = all.map((p) => p.t);
  const values = [...all.map((p) => p.v), ...(props.guides ?? []).map((g) => g.value)];
  const x = scale([Math.min(...times), Math.max(...times)], [PAD.left, WIDTH - PAD.right]);
  const yMax = props.yMax ?? Math.max(1, ...values) * 1.05;
  const y = scale([props.yMin ?? 0, yMax], [HEIGHT - PAD.bottom, PAD.top]);
  const path = (points: Point[]) => points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const first = props.points[0]!;
  const last = props.points[props.points.length - 1]!;
  const area = `${x(first.t).toFixed(1)},${y(0).toFixed(1)} ${path(props.points)} ${x(last.t).toFixed(1)},${y(0).toFixed(1)}`;
  const end = all[all.length - 1]!;
  return (
    <svg
      class="chart"
      data-chart={props.id}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${props.label}: latest ${last.v.toFixed(1)} ${props.unit}`}
    >
      <title>{props.label}</title>
      {[0, 0.5, 1].map((f) => {
        const value = (props.yMin ?? 0) + f * (yMax - (props.yMin ?? 0));
        return (
          <g>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} />
            <text class="axis" x={PAD.left - 6} y={y(value) + 4} text-anchor="end">
              {value.toFixed(value >= 10 ? 0 : 1)}
            </text>
          </g>
        );
      })}
      {(props.guides ?? []).map((guide) => (
        <g class="guide">
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(guide.value)} y2={y(guide.value)} />
          <text x={WIDTH - PAD.right - 4} y={y(guide.value) - 4} text-anchor="end">
            {guide.label}
          </text>
        </g>
      ))}
      <polygon class="area" points={area} />
      <polyline class="line" points={path(props.points)} />
      {props.projection && props.projection.length > 0 ? (
        <polyline class="projection" data-series="projection" points={path([last, ...props.projection])} />
      ) : null}
      <circle class="dot" cx={x(last.t)} cy={y(last.v)} r="3.5" />
      <text class="axis" x={PAD.left} y={HEIGHT - 6}>
        {timeLabel(first.t)}
      </text>
      <text class="axis" x={WIDTH - PAD.right} y={HEIGHT - 6} text-anchor="end">
        {timeLabel(end.t)}
      </text>
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
