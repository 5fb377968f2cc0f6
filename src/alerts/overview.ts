/** What is firing, pending and silenced, and how deliveries went: a read for status, chat-ops and the dashboard. */
import type { Severity } from '../model/notification';
import type { DeliveryRecord } from '../notifiers/outbox';
import type { AlertRecord } from './lifecycle';
import { isSilenced, readSilences, type Silence } from './silences';
import { readAlertState, readOutboxDoc } from './state-store';
import { ALERT_RECENT_LIMIT } from '../storage/keys';

const RECENT_RECORDS_SHOWN = 20;
const byTimeDesc = (a: DeliveryRecord, b: DeliveryRecord) => b.at.localeCompare(a.at);

export interface AlertOverviewEntry {
  key: string;
  rule: string;
  severity: Severity;
  status: AlertRecord['status'];
  level: number;
  title: string;
  summary: string;
  since: string;
  silenced: boolean;
}

export interface AlertsOverview {
  firing: AlertOverviewEntry[];
  pending: AlertOverviewEntry[];
  recent: DeliveryRecord[];
  undeliverable: DeliveryRecord[];
  queued: number;
  silences: Silence[];
}

/** What is firing, recent deliveries and undeliverable ones, for /v1/status, chat-ops and the dashboard. */
export async function readAlertsOverview(kv: KVNamespace, nowMs: number): Promise<AlertsOverview> {
  const [{ state }, silences, outbox] = await Promise.all([
    readAlertState(kv),
    readSilences(kv, nowMs),
    readOutboxDoc(kv),
  ]);
  const entries = Object.values(state.alerts).map((r): AlertOverviewEntry => ({
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    status: r.status,
    level: r.level,
    title: r.title,
    summary: r.summary,
    since: new Date(r.since).toISOString(),
    silenced: isSilenced(silences, { key: r.key, rule: r.rule, sinceMs: r.since }, nowMs),
  }));
  return {
    firing: entries.filter((e) => e.status === 'firing'),
    pending: entries.filter((e) => e.status === 'pending'),
    recent: newestWholeNotifications(
      [...wholeOnly(state.delivery.recent), ...wholeOnly(outbox.delivery.recent)],
      RECENT_RECORDS_SHOWN,
    ),
    undeliverable: [...state.delivery.undeliverable, ...outbox.delivery.undeliverable]
      .sort(byTimeDesc)
      .slice(0, 20),
    queued: state.delivery.outbox.length + outbox.delivery.outbox.length,
    silences,
  };
}

/**
 * A delivery log keeps its last ALERT_RECENT_LIMIT records, oldest first: when full, the oldest
 * notification may have lost some of its channels to the cap, so it is left out rather than shown
 * with fewer channels than delivered it.
 */
function wholeOnly(records: readonly DeliveryRecord[]): DeliveryRecord[] {
  const oldest = records[0];
  if (!oldest || records.length < ALERT_RECENT_LIMIT) return [...records];
  return records.filter((r) => r.id !== oldest.id);
}

/** The newest records, at most `limit`, cut between notifications: each one with all its channels. */
function newestWholeNotifications(records: readonly DeliveryRecord[], limit: number): DeliveryRecord[] {
  const byNotification = new Map<string, DeliveryRecord[]>();
  for (const record of [...records].sort(byTimeDesc)) {
    byNotification.set(record.id, [...(byNotification.get(record.id) ?? []), record]);
  }
  const kept: DeliveryRecord[] = [];
  for (const group of byNotification.values()) {
    if (kept.length + group.length > limit) break;
    kept.push(...group);
  }
  return kept.sort(byTimeDesc);
}
