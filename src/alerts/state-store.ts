/**
 * The alert engine's stored documents, parsed and serialised (their KV reads and writes are in
 * src/storage/alert-state.ts and alert-outbox.ts): one state document (lifecycle records + the engine's outbox and
 * delivery log) and the `notifyAll` outbox document. Each is read once per tick and written only when
 * its serialized form changed, so a steady tick reads 3 keys (with silences) and writes none.
 */
import type { DeliveryLog } from '../notifiers/outbox';
import { emptyDeliveryLog } from '../notifiers/outbox';
import { readAlertStateText, writeAlertStateText } from '../storage/alert-state';
import { readOutboxText, writeOutboxText } from '../storage/alert-outbox';
import type { AlertRecord } from './lifecycle';

export interface AlertState {
  v: 1;
  /** Scheduled time of the last snapshot that changed this document: older or equal ones are not re-evaluated. */
  lastTick: number;
  alerts: Record<string, AlertRecord>;
  delivery: DeliveryLog;
}

interface OutboxDoc {
  v: 1;
  delivery: DeliveryLog;
}

export function emptyAlertState(): AlertState {
  return { v: 1, lastTick: 0, alerts: {}, delivery: emptyDeliveryLog() };
}

/** Reads the state; returns it with its serialized form, to detect changes without a second read. */
export async function readAlertState(kv: KVNamespace): Promise<{ state: AlertState; raw: string | null }> {
  const raw = await readAlertStateText(kv);
  if (raw === null) return { state: emptyAlertState(), raw };
  try {
    const parsed = JSON.parse(raw) as Partial<AlertState>;
    if (parsed.v !== 1) return { state: emptyAlertState(), raw };
    return {
      state: {
        v: 1,
        lastTick: parsed.lastTick ?? 0,
        alerts: parsed.alerts ?? {},
        delivery: { ...emptyDeliveryLog(), ...parsed.delivery },
      },
      raw,
    };
  } catch {
    return { state: emptyAlertState(), raw };
  }
}

/** Writes the state when it differs from `raw`; returns whether it wrote. */
export async function writeAlertStateIfChanged(
  kv: KVNamespace,
  state: AlertState,
  raw: string | null,
): Promise<boolean> {
  const next = JSON.stringify(state);
  if (next === raw || (raw === null && next === JSON.stringify(emptyAlertState()))) return false;
  await writeAlertStateText(kv, next);
  return true;
}

export async function readOutboxDoc(kv: KVNamespace): Promise<{ delivery: DeliveryLog; raw: string | null }> {
  const raw = await readOutboxText(kv);
  if (raw === null) return { delivery: emptyDeliveryLog(), raw };
  try {
    const parsed = JSON.parse(raw) as Partial<OutboxDoc>;
    return { delivery: { ...emptyDeliveryLog(), ...parsed.delivery }, raw };
  } catch {
    return { delivery: emptyDeliveryLog(), raw };
  }
}

export async function writeOutboxDocIfChanged(
  kv: KVNamespace,
  delivery: DeliveryLog,
  raw: string | null,
): Promise<boolean> {
  const next = JSON.stringify({ v: 1, delivery } satisfies OutboxDoc);
  if (next === raw || (raw === null && next === JSON.stringify({ v: 1, delivery: emptyDeliveryLog() })))
    return false;
  await writeOutboxText(kv, next);
  return true;
}
