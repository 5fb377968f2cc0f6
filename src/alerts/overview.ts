/** What is firing, pending and silenced, and how deliveries went: a read for status, chat-ops and the dashboard. */
import type { Severity } from '../model/notification';
import type { DeliveryRecord } from '../notifiers/outbox';
import type { AlertRecord } from './lifecycle';
import { isSilenced, readSilences, type Silence } from './silences';
import { readAlertState, readOutboxDoc } from './state-store';

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
  const byTimeDesc = (a: DeliveryRecord, b: DeliveryRecord) => b.at.localeCompare(a.at);
  return {
    firing: entries.filter((e) => e.status === 'firing'),
    pending: entries.filter((e) => e.status === 'pending'),
    recent: [...state.delivery.recent, ...outbox.delivery.recent].sort(byTimeDesc).slice(0, 20),
    undeliverable: [...state.delivery.undeliverable, ...outbox.delivery.undeliverable]
      .sort(byTimeDesc)
      .slice(0, 20),
    queued: state.delivery.outbox.length + outbox.delivery.outbox.length,
    silences,
  };
}
