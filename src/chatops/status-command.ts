/**
 * `status`: the account as of the last cron tick, read from KV only (no Webshare call), so it always
 * answers inline within the chat platforms' 3-second deadline. Same numbers as GET /v1/status.
 */
import { formatBytes, formatPercent, formatTime } from '../lib/format';
import { literal, untrusted } from '../lib/markup';
import { SEVERITY_EMOJI } from '../notifiers/common';
import type { Snapshot } from '../model/snapshot';
import { readSubUserListing } from '../status/subusers';
import { summariseStatus } from '../status/summary';
import { PollerStore } from '../storage/poller-store';
import { readFiringAlerts, type FiringAlert } from './alert-commands';
import type { CommandContext } from './context';
import { reply, type Reply, type ReplyBar, type ReplyField } from './reply';

const FIRING_SHOWN = 10;

/** The latest snapshot, or null before the first tick. */
export async function readLatestSnapshot(ctx: CommandContext): Promise<Snapshot | null> {
  const store = new PollerStore(ctx.env.STATE, ctx.config.historyRetentionDays);
  const { state } = await store.readState(ctx.nowMs);
  return state.latest;
}

/** The latest snapshot with sub-users created or deleted since the last refresh applied. */
async function readCurrentSnapshot(ctx: CommandContext): Promise<Snapshot | null> {
  const store = new PollerStore(ctx.env.STATE, ctx.config.historyRetentionDays);
  const { state } = await store.readState(ctx.nowMs);
  if (!state.latest) return null;
  const listing = await readSubUserListing(ctx.env.STATE, state, ctx.nowMs);
  return { ...state.latest, subusers: listing.subusers };
}

export async function statusCommand(ctx: CommandContext): Promise<Reply> {
  const [snapshot, firing] = await Promise.all([readCurrentSnapshot(ctx), readFiringAlerts(ctx)]);
  if (!snapshot) {
    return reply('No data yet', {
      lines: ['The poller has not run a tick yet. It runs every 5 minutes; `POST /v1/poll` runs one now.'],
      tone: 'warning',
    });
  }
  const summary = summariseStatus(snapshot, null, ctx.nowMs);
  const fields: ReplyField[] = [];
  const bars: ReplyBar[] = [];

  const bandwidth = summary.bandwidth;
  if (bandwidth) {
    const limit = bandwidth.unlimited ? 'unlimited' : formatBytes(bandwidth.limit_bytes);
    fields.push({ label: 'Bandwidth', value: `${formatBytes(bandwidth.used_bytes)} of ${limit}` });
    if (bandwidth.used_percent !== null)
      bars.push({ label: 'Bandwidth used', percent: bandwidth.used_percent });
    if (bandwidth.projected_bytes !== null) {
      const by = bandwidth.period_end ? ` by ${formatTime(Date.parse(bandwidth.period_end))}` : '';
      const share =
        bandwidth.projected_percent === null ? '' : ` (${formatPercent(bandwidth.projected_percent)})`;
      fields.push({ label: 'Projection', value: `${formatBytes(bandwidth.projected_bytes)}${by}${share}` });
    }
  } else {
    fields.push({ label: 'Bandwidth', value: 'unknown (the last tick could not read the stats)' });
  }

  const invalid = summary.invalid_proxies;
  if (invalid) {
    const worst = invalid.worst_countries.map((c) => `${c.country} ${c.invalid}`).join(', ');
    fields.push({
      label: 'Invalid proxies',
      value: `${invalid.count} of ${invalid.total} (${formatPercent(invalid.ratio * 100)})${worst ? ` — ${worst}` : ''}`,
    });
  } else {
    fields.push({ label: 'Invalid proxies', value: 'no finished sweep yet' });
  }

  const quotas = snapshot.quotas;
  if (quotas) {
    fields.push({
      label: 'On-demand refreshes',
      value: `${quotas.ondemand_refreshes_available} of ${quotas.ondemand_refreshes_total} left`,
    });
    fields.push({
      label: 'Replacements',
      value: `${quotas.proxy_replacements_available} of ${quotas.proxy_replacements_total} left`,
    });
  }
  if (summary.subusers) {
    const near = summary.subusers.filter((s) => (s.usage_percent ?? 0) >= 80).length;
    fields.push({
      label: 'Sub-users',
      value: `${summary.subusers.length}${near > 0 ? ` (${near} at 80% or more)` : ''}`,
    });
  }

  const lines = firingLines(firing);
  for (const error of summary.errors) {
    lines.push(
      `Last tick could not read ${error.source}: ${error.kind}${error.status ? ` (${error.status})` : ''}.`,
    );
  }
  return reply('Account status', {
    lines,
    fields,
    bars,
    tone: firing.some((a) => a.severity === 'critical') ? 'error' : firing.length > 0 ? 'warning' : 'info',
    footer: `As of ${formatTime(Date.parse(summary.taken_at))} (${Math.round(summary.age_seconds / 60)} min ago)`,
  });
}

function firingLines(firing: FiringAlert[]): string[] {
  if (firing.length === 0) return ['No alerts firing.'];
  const lines = firing
    .slice(0, FIRING_SHOWN)
    .map(
      (a) =>
        `${SEVERITY_EMOJI[a.severity]} ${untrusted(a.title)} (${literal(a.key)}${a.silenced ? ', silenced' : ''})`,
    );
  if (firing.length > FIRING_SHOWN) lines.push(`…and ${firing.length - FIRING_SHOWN} more (see \`alerts\`).`);
  return [`Firing alerts: ${firing.length}`, ...lines];
}
