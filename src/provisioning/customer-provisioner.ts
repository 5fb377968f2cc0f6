/**
 * One Durable Object per customer (`idFromName(customerId)`) that runs that customer's provisioning
 * one command at a time. KV is eventually consistent and has no compare-and-set, so twenty concurrent
 * deliveries for one customer could all see "no sub-user yet"; a single object with transactional
 * storage cannot. Delivery records (`pending → done`, with the original response) live beside the
 * customer's state, so a replay gets the first answer and the two are written in one transaction.
 */
import { DurableObject } from 'cloudflare:workers';
import { loadConfig } from '../config';
import type { Env } from '../env';
import { mapError } from '../error-mapping';
import { createLogger } from '../lib/log';
import { HOOK_DELIVERY_TTL_SECONDS, PROVISIONER_KEY } from '../storage/keys';
import { webshareClientFor } from '../webshare/from-config';
import type { SubUser } from '../webshare/schemas';
import type { HookResponse, ProvisioningCommand, ProvisioningResultBody, SubUserView } from './command';
import { provision, type CreateGuard, type CustomerState, type ProvisioningResult } from './provision';

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
  change?: { type: 'subuser.created' | 'subuser.deleted'; subUserId: number | null; plan: string | null };
}

export class CustomerProvisioner extends DurableObject<Env> {
  /**
   * The in-memory queue. Input gates only hold events while storage is awaited, not while a fetch to
   * Webshare is in flight, so without it two commands would interleave around the create call.
   */
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs one command after every earlier command for this customer has finished. */
  handle(command: ProvisioningCommand): Promise<HandledDelivery> {
    const run = this.#tail.then(() => this.#handle(command));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** What this object remembers about its customer (tests and diagnostics). */
  async state(): Promise<CustomerState | null> {
    return (await this.ctx.storage.get<CustomerState>(PROVISIONER_KEY.customer)) ?? null;
  }

  /** Purges delivery records past their TTL; the customer state (and any tombstone) stays. */
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

  async #handle(command: ProvisioningCommand): Promise<HandledDelivery> {
    const storage = this.ctx.storage;
    const deliveryKey = `${PROVISIONER_KEY.delivery}${command.source}:${command.deliveryId}`;
    const record = await storage.get<DeliveryRecord>(deliveryKey);
    if (record?.state === 'done') return { response: record.response, replayed: true };

    if (command.action !== 'delete' && !command.plan?.limits) {
      // Rejected before anything is recorded, so the same delivery succeeds once PLANS knows the plan.
      return { response: unknownPlan(command.plan?.name ?? ''), replayed: false };
    }

    const config = loadConfig(this.env);
    const log = createLogger({
      secrets: config.secretValues,
      fields: { area: 'provisioner', source: command.source, deliveryId: command.deliveryId },
    });
    const nowMs = Date.now();
    const previous = await storage.get<CustomerState>(PROVISIONER_KEY.customer);
    const creating = await storage.get<CreatingMarker>(PROVISIONER_KEY.creating);
    // `pending` on a create/update also counts: states written before the creating marker existed
    // carry only that trace of an unfinished attempt. A delete never creates, so it leaves no doubt.
    const unfinished = previous?.pending && previous.pending.action !== 'delete' ? previous.pending : null;
    const guard: CreateGuard = {
      inDoubt: creating !== undefined || unfinished !== null,
      beforeCreate: () =>
        storage.put<CreatingMarker>(PROVISIONER_KEY.creating, {
          deliveryId: command.deliveryId,
          sinceMs: Date.now(),
        }),
    };
    if (guard.inDoubt) {
      log.warn('an earlier create may not have been recorded; reconciling with the Webshare sub-user list', {
        customerId: command.customerId,
        creating: creating ?? null,
        pending: unfinished,
      });
    }
    const marker = { action: command.action, deliveryId: command.deliveryId, sinceMs: nowMs };
    await storage.put<unknown>({
      [deliveryKey]: { state: 'pending', sinceMs: nowMs } satisfies DeliveryRecord,
      ...(previous ? { [PROVISIONER_KEY.customer]: { ...previous, pending: marker } } : {}),
    });

    let result: ProvisioningResult;
    try {
      const webshareApiVersion = command.webshareApiVersion ?? config.webshareApiVersion;
      const client = webshareClientFor({ ...config, webshareApiVersion }, {}, this.env.STATE);
      result = await provision(client, previous, command, nowMs, guard);
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.unexpected) throw error;
      // Nothing is marked done and a creating marker stays: the sender retries, and the retry
      // reconciles with Webshare's label list before it creates anything.
      log.warn('provisioning failed', { customerId: command.customerId, status: mapped.status, error });
      return {
        response: {
          status: mapped.status as HookResponse['status'],
          body: JSON.stringify(mapped.body),
          headers: mapped.headers,
        },
        replayed: false,
      };
    }

    const response: HookResponse = { status: 200, body: JSON.stringify(resultBody(command, result)) };
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
    log.info('provisioned', {
      customerId: command.customerId,
      event: command.eventType,
      outcome: result.outcome,
      subUserId: result.subUser?.id ?? result.state.subUserId,
    });
    return { response, replayed: false, ...changeOf(result, previous) };
  }

  /** One alarm at a time: it purges what expired and reschedules itself for the next expiry. */
  async #scheduleCleanup(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) !== null) return;
    await this.ctx.storage.setAlarm(Date.now() + HOOK_DELIVERY_TTL_SECONDS * MS_PER_SECOND);
  }
}

function changeOf(
  result: ProvisioningResult,
  previous: CustomerState | undefined,
): Pick<HandledDelivery, 'change'> {
  // `adopted` counts as created: the attempt that created it failed before it could say so.
  if (result.outcome === 'created' || result.outcome === 'adopted') {
    return {
      change: { type: 'subuser.created', subUserId: result.subUser?.id ?? null, plan: result.state.plan },
    };
  }
  if (result.outcome === 'deleted') {
    return {
      change: {
        type: 'subuser.deleted',
        subUserId: previous?.subUserId ?? null,
        plan: previous?.plan ?? null,
      },
    };
  }
  return {};
}

function resultBody(command: ProvisioningCommand, result: ProvisioningResult): ProvisioningResultBody {
  const body: ProvisioningResultBody = {
    delivery_id: command.deliveryId,
    event: command.eventType,
    customer_id: command.customerId,
    outcome: result.outcome,
  };
  if (result.reason) body.reason = result.reason;
  if (result.state.plan && result.state.status === 'active') body.plan = result.state.plan;
  if (result.subUser && result.state.status === 'active') {
    body.subuser = view(result.subUser, command.returnCredentials);
  }
  return body;
}

function view(subUser: SubUser, withCredentials: boolean): SubUserView {
  const out: SubUserView = {
    id: subUser.id,
    label: subUser.label,
    proxy_limit: subUser.proxy_limit,
    max_thread_count: subUser.max_thread_count,
    proxy_countries: subUser.proxy_countries,
  };
  if (withCredentials) {
    out.proxy_username = subUser.proxy_username;
    out.proxy_password = subUser.proxy_password;
  }
  return out;
}

function unknownPlan(name: string): HookResponse {
  return {
    status: 422,
    body: JSON.stringify({
      error: {
        code: 'unknown_plan',
        message: `unknown plan "${name}": PLANS has no such plan; nothing was created`,
        details: { plan: name },
      },
    }),
  };
}
