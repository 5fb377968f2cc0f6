/**
 * The alert engine's state in brief (model/alert-summary.ts), read at the start of a tick so the
 * poller state can carry it: `/metrics` then serves alert states from its one poller read.
 * Two KV reads (the engine's state and the one-off outbox); silences are not needed for it.
 */
import type { AlertSummary } from '../model/alert-summary';
import { readAlertState, readOutboxDoc } from './state-store';

export const ALERT_SUMMARY_KV_READS = 2;

export async function readAlertSummary(kv: KVNamespace, nowMs: number): Promise<AlertSummary> {
  const [{ state }, outbox] = await Promise.all([readAlertState(kv), readOutboxDoc(kv)]);
  return {
    as_of: new Date(nowMs).toISOString(),
    alerts: Object.values(state.alerts)
      .map((record) => ({
        key: record.key,
        rule: record.rule,
        severity: record.severity,
        level: record.level,
        status: record.status,
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    queued: state.delivery.outbox.length + outbox.delivery.outbox.length,
    undeliverable: state.delivery.undeliverable.length + outbox.delivery.undeliverable.length,
  };
}
