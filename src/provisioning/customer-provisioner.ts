/**
 * One Durable Object per sender and customer (`idFromName(provisionerName(source, customerId))`) that
 * runs that customer's provisioning one command at a time. KV is eventually consistent and has no
 * compare-and-set, so twenty concurrent deliveries for one customer could all see "no sub-user yet"; a
 * single object with transactional storage cannot. The customer's holdings (subscriptions, checkouts),
 * and delivery records (`pending → done`, with the original response) live beside its state, so a
 * replay gets the first answer and the two are written in one transaction.
 */
import { DurableObject } from 'cloudflare:workers';
import { loadConfig } from '../config';
import type { Env } from '../env';
import { createLogger, type Logger } from '../lib/log';
import { HOOK_DELIVERY_TTL_SECONDS, PROVISIONER_KEY } from '../storage/keys';
import { openWebshare } from '../webshare/open';
import type { HookResponse, HookSource, ProvisioningCommand } from './command';
import { applyChange, desiredOf, grantsAccess, type Desired } from './holdings';
import { fromLegacy, handOverLegacyState, type LegacyHandOver } from './legacy';
import {
  freshState,
  ignored,
  provision,
  type CreateGuard,
  type CustomerState,
  type ProvisioningResult,
} from './provision';
import { changeOf, failureResponse, knowsPlan, resultBody, unknownPlan, type SubUserChange } from './result';
import { recordForReaders } from './readers';

const MS_PER_SECOND = 1000;
/** Delivery records are purged in batches, so one alarm never runs long. */
const PURGE_BATCH = 500;

/**
 * Written just before a create is sent, removed in the transaction that records what became of it
 * (or after a label-list read settles the doubt). A leftover means a create may have reached Webshare
 * unrecorded (crash, timeout, 5xx, unreadable answer), so the next attempt reads the label list first.
 */
export interface CreatingMarker {
  deliveryId: string;
  sinceMs: number;
}

export type DeliveryRecord =
  { state: 'pending'; sinceMs: number } | { state: 'done'; atMs: number; response: HookResponse };

export interface HandledDelivery {
  response: HookResponse;
  /** True when this is the stored answer of an earlier, completed delivery with the same id. */
  replayed: boolean;
  /** Set when this delivery (not a replay) made a sub-user appear or go away. */
  change?: SubUserChange;
}

interface Loaded {
  state: CustomerState;
  /** False for a customer this object has never recorded: nothing of it is in storage yet. */
  stored: boolean;
}

export class CustomerProvisioner extends DurableObject<Env> {
  /**
   * The in-memory queue. Input gates only hold events while storage is awaited, not while a fetch to
   * Webshare is in flight, so without it two commands would interleave around the create call.
   */
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs one command after every earlier command for this customer has finished. */
  handle(command: ProvisioningCommand): Promise<HandledDelivery> {
    return this.#enqueue(() => this.#handle(command));
  }

  /**
   * In a legacy object (named by the bare customer id): hands its state to `source`'s new object,
   * once, unless its delivery records show it served the other sender (src/provisioning/legacy.ts).
   */
  handOver(source: HookSource): Promise<LegacyHandOver | null> {
    return this.#enqueue(() => handOverLegacyState(this.ctx.storage, source));
  }

  /** What this object remembers about its customer (tests and diagnostics). */
  async state(): Promise<CustomerState | null> {
    return (await this.ctx.storage.get<CustomerState>(PROVISIONER_KEY.customer)) ?? null;
  }

  /** Purges delivery records past their TTL; the customer state (and its holdings) stays. */
  override async alarm(): Promise<void> {
    const ttlMs = HOOK_DELIVERY_TTL_SECONDS * MS_PER_SECOND;
    const nowMs = Date.now();
    const records = await this.ctx.storage.list<DeliveryRecord>({
      prefix: PROVISIONER_KEY.delivery,
      limit: PURGE_BATCH,
    });
    const expired: string[] = [];
    let nextExpiryMs: number | null = null;
    for (const [key, record] of records) {
      const expiresMs = (record.state === 'done' ? record.atMs : record.sinceMs) + ttlMs;
      if (expiresMs <= nowMs) expired.push(key);
      else nextExpiryMs = Math.min(nextExpiryMs ?? expiresMs, expiresMs);
    }
    if (expired.length > 0) await this.ctx.storage.delete(expired);
    // A full batch may hide more expired records: come back at once for the next batch.
    if (records.size === PURGE_BATCH) await this.ctx.storage.setAlarm(nowMs);
    else if (nextExpiryMs !== null) await this.ctx.storage.setAlarm(nextExpiryMs);
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #handle(command: ProvisioningCommand): Promise<HandledDelivery> {
    const storage = this.ctx.storage;
    const deliveryKey = `${PROVISIONER_KEY.delivery}${command.source}:${command.deliveryId}`;
    const record = await storage.get<DeliveryRecord>(deliveryKey);
    if (record?.state === 'done') return { response: record.response, replayed: true };

    const config = await loadConfig(this.env);
    const log = createLogger({
      secrets: config.secretValues,
      level: config.logLevel,
      fields: { area: 'provisioner', source: command.source, deliveryId: command.deliveryId },
    });
    const nowMs = Date.now();
    const loaded = await this.#load(command, nowMs, log);
    const previous = loaded.state;
    const applied = applyChange(previous.holdings, command.change, command.eventTimeMs, previous.floorTimeMs);
    if (applied.applied && grantsAccess(command.change) && !knowsPlan(command)) {
      // Rejected before anything is recorded, so the same delivery succeeds once PLANS knows the plan.
      return { response: unknownPlan(command.change.plan ?? ''), replayed: false };
    }
    const next = applied.applied ? { ...previous, holdings: applied.holdings } : previous;
    const desired = desiredOf(next.holdings, command.plans);
    const guard = await this.#guard(command, previous, log);
    await this.#markPending(deliveryKey, loaded, desired, command, nowMs);

    let result: ProvisioningResult;
    // Read once the client has spoken (with `auto` its dialect is known only then).
    let bytesPerGb: number;
    try {
      const client = openWebshare(config, { dialect: command.dialect ?? config.dialect, kv: this.env.STATE });
      result = applied.applied
        ? await provision(client, next, desired, nowMs, guard)
        : await ignored(client, previous, applied.reason, command.returnCredentials && desired.live);
      bytesPerGb = client.bytesPerGb;
    } catch (error) {
      return { response: failureResponse(error, command, log), replayed: false };
    }

    const response: HookResponse = {
      status: 200,
      body: JSON.stringify(resultBody(command, result, desired.live)),
    };
    await storage.transaction(async (txn) => {
      await txn.put<unknown>({
        [PROVISIONER_KEY.customer]: { ...result.state, pending: null },
        [deliveryKey]: { state: 'done', atMs: nowMs, response } satisfies DeliveryRecord,
      });
      // Kept when this attempt neither listed nor created (e.g. an ignored stale event): the doubt
      // of an earlier lost create is still open, and a later event must still read the list.
      if (result.settled) await txn.delete(PROVISIONER_KEY.creating);
    });
    await this.#scheduleCleanup();
    await recordForReaders(this.env.STATE, result, previous, nowMs, log, bytesPerGb);
    log.info('provisioned', {
      customerId: command.customerId,
      event: command.eventType,
      outcome: result.outcome,
      subUserId: result.subUser?.id ?? result.state.subUserId,
    });
    const change = changeOf(result, previous);
    return { response, replayed: false, ...(change ? { change } : {}) };
  }

  /** The customer's state: stored here, carried over from the legacy object once, or fresh. */
  async #load(command: ProvisioningCommand, nowMs: number, log: Logger): Promise<Loaded> {
    const storage = this.ctx.storage;
    const stored = await storage.get<CustomerState>(PROVISIONER_KEY.customer);
    if (stored) return { state: stored, stored: true };
    const fresh = { state: freshState(command.source, command.customerId, nowMs), stored: false };
    if (await storage.get<boolean>(PROVISIONER_KEY.legacyChecked)) return fresh;

    const namespace = this.env.PROVISIONER as DurableObjectNamespace<CustomerProvisioner> | undefined;
    const legacy = namespace
      ? await namespace.get(namespace.idFromName(command.customerId)).handOver(command.source)
      : null;
    if (!legacy) {
      await storage.put(PROVISIONER_KEY.legacyChecked, true);
      return fresh;
    }
    const state = fromLegacy(command.source, legacy.state);
    await storage.put<unknown>({
      [PROVISIONER_KEY.customer]: state,
      [PROVISIONER_KEY.legacyChecked]: true,
      ...(legacy.creating ? { [PROVISIONER_KEY.creating]: legacy.creating } : {}),
    });
    log.info('customer carried over from the shared key space', {
      customerId: command.customerId,
      subUserId: state.subUserId,
    });
    return { state, stored: true };
  }

  /** Whether an earlier create may have reached Webshare unrecorded, and how to record this one's. */
  async #guard(command: ProvisioningCommand, previous: CustomerState, log: Logger): Promise<CreateGuard> {
    const storage = this.ctx.storage;
    const creating = await storage.get<CreatingMarker>(PROVISIONER_KEY.creating);
    // `pending` on a create also counts: states written before the creating marker existed carry
    // only that trace of an unfinished attempt. A removal never creates, so it leaves no doubt.
    const unfinished = previous.pending && previous.pending.action !== 'delete' ? previous.pending : null;
    const inDoubt = creating !== undefined || unfinished !== null;
    if (inDoubt) {
      log.warn('an earlier create may not have been recorded; reconciling with the Webshare sub-user list', {
        customerId: command.customerId,
        creating: creating ?? null,
        pending: unfinished,
      });
    }
    return {
      inDoubt,
      beforeCreate: () =>
        storage.put<CreatingMarker>(PROVISIONER_KEY.creating, {
          deliveryId: command.deliveryId,
          sinceMs: Date.now(),
        }),
    };
  }

  /** Records the delivery as pending and, for a known customer, what this attempt sets out to do. */
  async #markPending(
    deliveryKey: string,
    loaded: Loaded,
    desired: Desired,
    command: ProvisioningCommand,
    nowMs: number,
  ): Promise<void> {
    const marker = {
      action: desired.live ? 'create' : 'delete',
      deliveryId: command.deliveryId,
      sinceMs: nowMs,
    };
    await this.ctx.storage.put<unknown>({
      [deliveryKey]: { state: 'pending', sinceMs: nowMs } satisfies DeliveryRecord,
      ...(loaded.stored ? { [PROVISIONER_KEY.customer]: { ...loaded.state, pending: marker } } : {}),
    });
  }

  /** One alarm at a time: it purges what expired and reschedules itself for the next expiry. */
  async #scheduleCleanup(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) !== null) return;
    await this.ctx.storage.setAlarm(Date.now() + HOOK_DELIVERY_TTL_SECONDS * MS_PER_SECOND);
  }
}
