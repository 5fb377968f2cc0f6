/**
 * Turns a tick's remediation entries into notifications for notifyAll. Every action and failure is
 * its own message; skips are grouped per reason (and a dry run's "would replace" into one), and a standing skip (the reserve is reached, a dry
 * run's "would replace") is told once per UTC day, not every 5 minutes. Ids are deterministic
 * (sha256 of day and action), so a receiver deduping by id never shows one event twice.
 */
import type { Field, Notification, Severity } from '../model/notification';
import { sha256Hex } from '../lib/crypto';
import type { RemediationEntry, RemediationOutcome, SkipReason } from '../model/remediation';

/** Addresses named in one grouped notice; the rest are counted. */
export const ADDRESSES_NAMED_PER_NOTICE = 20;

export interface NoticeContext {
  mode: 'live' | 'dry_run';
  /** UTC day, YYYY-MM-DD. */
  day: string;
  nowMs: number;
  replacedToday: number;
  maxPerDay: number;
  replaceAfterSweeps: number;
  replacementsLeft: number | null;
  /** Dedupe keys already notified today. */
  notified: readonly string[];
}

const SEVERITY: Record<RemediationOutcome, Severity> = {
  replaced: 'info',
  started: 'info',
  refreshed: 'info',
  already_replaced: 'info',
  would_replace: 'info',
  would_refresh: 'info',
  failed: 'warning',
  rejected: 'warning',
  skipped: 'info',
};

/** Skips an operator should act on (raise the cap, buy replacements) are warnings; the rest are informational. */
const SKIP_SEVERITY: Record<SkipReason, Severity> = {
  reserve: 'warning',
  daily_cap: 'warning',
  gave_up: 'warning',
  refresh_unavailable: 'warning',
  replaced_recently: 'info',
  quota_unknown: 'info',
  budget: 'info',
  rate_limited: 'info',
  refreshed_this_incident: 'info',
  replacement_in_progress: 'info',
};

const SKIP_TITLE: Record<SkipReason, string> = {
  reserve: 'replacement reserve reached',
  daily_cap: 'daily replacement cap reached',
  gave_up: 'replacement failed 3 times today',
  refresh_unavailable: 'no on-demand refresh available',
  replaced_recently: 'replaced recently',
  quota_unknown: 'replacement quota unknown this tick',
  budget: 'no subrequests left this tick',
  rate_limited: 'Webshare rate limit reached',
  refreshed_this_incident: 'list already refreshed in this incident',
  replacement_in_progress: 'Webshare is still carrying out an earlier replacement',
};

function actionTitle(e: RemediationEntry): string {
  const list = e.target === 'proxy_list';
  switch (e.outcome) {
    case 'replaced':
      return `replaced ${e.target} → ${e.new_address ?? 'a new proxy'}`;
    case 'started':
      return `replacing ${e.target} (Webshare replacement ${e.replacement_id ?? '?'})`;
    case 'already_replaced':
      return `${e.target} was already replaced`;
    case 'refreshed':
      return 'refreshed the whole proxy list';
    case 'would_replace':
      return `dry run, would replace ${e.target}`;
    case 'would_refresh':
      return 'dry run, would refresh the whole proxy list';
    case 'failed':
      return list ? 'refreshing the proxy list failed' : `replacing ${e.target} failed`;
    case 'rejected':
      return list ? 'Webshare refused the refresh' : `Webshare refused to replace ${e.target}`;
    case 'skipped':
      return `skipped ${e.target}`;
  }
}

/** The key a message is deduped by (within the day); null for actions, which happen once by construction. */
function dedupeKey(e: RemediationEntry): string | null {
  if (e.outcome === 'would_replace' || e.outcome === 'would_refresh' || e.outcome === 'skipped')
    return `${e.outcome}|${e.reason ?? ''}|${e.target}`;
  return null;
}

async function noticeId(day: string, key: string): Promise<string> {
  return `rem_${(await sha256Hex(`${day}|${key}`)).slice(0, 32)}`;
}

function commonFields(ctx: NoticeContext): Field[] {
  const fields: Field[] = [
    { label: 'Mode', value: ctx.mode === 'dry_run' ? 'dry run (nothing sent to Webshare)' : 'live' },
    { label: 'Replaced today', value: `${ctx.replacedToday} of ${ctx.maxPerDay}` },
  ];
  if (ctx.replacementsLeft !== null)
    fields.push({ label: 'Replacements left', value: String(ctx.replacementsLeft) });
  return fields;
}

function nameSome(targets: string[]): string {
  const more = targets.length - ADDRESSES_NAMED_PER_NOTICE;
  return `${targets.slice(0, ADDRESSES_NAMED_PER_NOTICE).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

async function actionNotice(
  e: RemediationEntry,
  ctx: NoticeContext,
  occurred_at: string,
): Promise<Notification> {
  const fields: Field[] = [];
  if (e.target !== 'proxy_list') fields.push({ label: 'Proxy', value: e.target });
  if (e.new_address) fields.push({ label: 'New address', value: e.new_address });
  if (e.consecutive_sweeps !== undefined)
    fields.push({ label: 'Invalid for', value: `${e.consecutive_sweeps} consecutive sweeps` });
  return {
    id: await noticeId(
      ctx.day,
      `${e.outcome}|${e.target}|${e.attempt ?? ''}|${e.outcome === 'refreshed' ? occurred_at : ''}`,
    ),
    event: 'message',
    severity: SEVERITY[e.outcome],
    title: `Auto-remediation: ${actionTitle(e)}`,
    summary: e.detail,
    fields: [...fields, ...commonFields(ctx)],
    occurred_at,
    values: {
      action: e.action,
      target: e.target,
      outcome: e.outcome,
      new_address: e.new_address ?? null,
      left: e.left ?? null,
      attempt: e.attempt ?? null,
    },
  };
}

export async function buildNotices(
  entries: readonly RemediationEntry[],
  ctx: NoticeContext,
): Promise<{ notices: Notification[]; notified: string[] }> {
  const occurred_at = new Date(ctx.nowMs).toISOString();
  const seen = new Set(ctx.notified);
  const notified: string[] = [];
  const notices: Notification[] = [];
  const skipped = new Map<string, RemediationEntry[]>();
  const wouldReplace: RemediationEntry[] = [];

  for (const e of entries) {
    const key = dedupeKey(e);
    if (key !== null) {
      if (seen.has(key)) continue;
      seen.add(key);
      notified.push(key);
    }
    if (e.outcome === 'skipped') {
      const group = `${e.action}|${e.reason ?? ''}`;
      skipped.set(group, [...(skipped.get(group) ?? []), e]);
      continue;
    }
    if (e.outcome === 'would_replace') {
      wouldReplace.push(e);
      continue;
    }
    notices.push(await actionNotice(e, ctx, occurred_at));
  }

  // A dry run on a sick account would otherwise post one message per proxy: one message says it all.
  if (wouldReplace.length === 1) notices.push(await actionNotice(wouldReplace[0]!, ctx, occurred_at));
  else if (wouldReplace.length > 1) {
    const targets = wouldReplace.map((e) => e.target).sort();
    const list = nameSome(targets);
    notices.push({
      id: await noticeId(ctx.day, `would_replace|${targets.join(',')}`),
      event: 'message',
      severity: 'info',
      title: `Auto-remediation: dry run, would replace ${targets.length} proxies`,
      summary: `Dry run: would replace ${targets.length} proxies invalid for ${ctx.replaceAfterSweeps} or more consecutive sweeps: ${list}.`,
      fields: [{ label: 'Proxies', value: list }, ...commonFields(ctx)],
      occurred_at,
      values: { action: 'replace', outcome: 'would_replace', count: targets.length },
    });
  }

  for (const group of skipped.values()) {
    const first = group[0] as RemediationEntry;
    const reason = first.reason as SkipReason;
    const targets = group.map((e) => e.target).sort();
    const list = nameSome(targets);
    const isRefresh = first.action === 'refresh';
    notices.push({
      id: await noticeId(ctx.day, `skipped|${first.action}|${reason}|${targets.join(',')}`),
      event: 'message',
      severity: SKIP_SEVERITY[reason],
      title: isRefresh
        ? `Auto-remediation: not refreshing the proxy list (${SKIP_TITLE[reason]})`
        : `Auto-remediation: not replacing ${targets.length === 1 ? '1 proxy' : `${targets.length} proxies`} (${SKIP_TITLE[reason]})`,
      summary:
        group.length === 1
          ? first.detail
          : `${first.detail.replace(/^Not replacing \S+:/, 'Not replacing these proxies:')} Proxies: ${list}.`,
      fields: [...(isRefresh ? [] : [{ label: 'Proxies', value: list }]), ...commonFields(ctx)],
      occurred_at,
      values: { action: first.action, outcome: 'skipped', reason, count: targets.length },
    });
  }
  return { notices, notified };
}
