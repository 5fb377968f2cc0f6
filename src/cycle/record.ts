/**
 * The storing half of a tick: read the poller state, collect from Webshare, let auto-remediation act
 * on a freshly finished sweep, build the snapshot and write it with the next state in one KV write.
 * Never throws for upstream trouble: partial failure is recorded in the snapshot.
 */
import { ALERT_SUMMARY_KV_READS, readAlertSummary } from '../alerts/summary';
import type { Config } from '../config';
import { planDigest } from '../digest/plan';
import { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';
import type { Notification } from '../model/notification';
import type { Snapshot } from '../model/snapshot';
import { configuredChannels } from '../notifiers/deliver';
import { advanceState, buildSnapshot } from '../poller/advance';
import { collect, connectForTick } from '../poller/collect';
import { toSourceError } from '../poller/sources';
import { forgetDialect } from '../storage/dialect-choice';
import { dialectGone } from '../webshare/open';
import { remediationReserve, runRemediation } from '../remediation/run';
import { deleteTrackedReplacement, listTrackedReplacements } from '../storage/tracked-replacements';
import { PollerStore, TICK_STATE_LOOKBACK_HOURS } from '../storage/poller-store';

/** Subrequests kept back per configured notification channel (a send, a retry, an outbox retry). */
export const NOTIFICATION_RESERVE_PER_CHANNEL = 3;

export interface RecordInput {
  kv: KVNamespace;
  config: Config;
  log: Logger;
  scheduledTime: number;
  nowMs: number;
  /** The tick's budget when it already spent some (the poll lock); a fresh one otherwise. */
  budget?: SubrequestBudget;
}

export type TickResult =
  | { status: 'duplicate'; lastScheduledTime: number; kvReads: number; kvWrites: number }
  | { status: 'busy'; retryAfterMs: number; kvReads: number; kvWrites: number }
  | { status: 'not_configured'; reason: string; kvReads: number; kvWrites: number }
  | {
      status: 'done';
      snapshot: Snapshot;
      previous: Snapshot | null;
      /** The snapshots of the last hour or so, oldest first, this one included (read with the state). */
      recent: Snapshot[];
      budget: SubrequestBudget;
      /** Auto-remediation notices and a due digest, for the tick to send (after its write). */
      notices: Notification[];
      webshareCalls: number;
      sweepPages: number;
      kvReads: number;
      kvWrites: number;
    };

export async function recordTick(input: RecordInput): Promise<TickResult> {
  const read = await readForTick(input);
  const skipped = skipIfNotDue(input, read);
  if (skipped) return skipped;
  const budget = input.budget ?? new SubrequestBudget(input.config.subrequestBudget);
  const work = await workWithWebshare(input, read, budget);
  return storeTick(input, read, budget, work);
}

type TickRead = Awaited<ReturnType<typeof readForTick>>;
type TickWork = Awaited<ReturnType<typeof workWithWebshare>>;

/** The poller state (with this hour's snapshots) and the alert summary, in one round trip. */
async function readForTick(input: RecordInput) {
  const { config, log, nowMs } = input;
  const store = new PollerStore(input.kv, config.historyRetentionDays);
  const [{ state, bucket, recent }, alertSummary] = await Promise.all([
    store.readState(nowMs, { lookbackHours: TICK_STATE_LOOKBACK_HOURS }),
    // Carried in the state so /metrics serves alert states from its one read; a failure costs only that.
    readAlertSummary(input.kv, nowMs).catch((error: unknown) => {
      log.warn('could not read the alert summary', { error });
      return null;
    }),
  ]);
  const kvReads = () => store.meter.reads + ALERT_SUMMARY_KV_READS;
  return { store, state, bucket, recent, alertSummary, kvReads };
}

/** A duplicated or late tick (idempotent on scheduledTime), or one without a key, does nothing. */
function skipIfNotDue(input: RecordInput, read: TickRead): TickResult | null {
  const { log, scheduledTime } = input;
  const lastScheduledTime = read.state.last_scheduled_time;
  if (scheduledTime <= lastScheduledTime) {
    log.info('tick skipped: already ran', { scheduledTime, lastScheduledTime });
    return { status: 'duplicate', lastScheduledTime, kvReads: read.kvReads(), kvWrites: 0 };
  }
  if (!input.config.webshareApiKey) {
    log.error('tick skipped: WEBSHARE_API_KEY is not set');
    const reason = 'WEBSHARE_API_KEY is not set';
    return { status: 'not_configured', reason, kvReads: read.kvReads(), kvWrites: 0 };
  }
  return null;
}

/** Everything this tick asks of Webshare: the dialect, collecting, remediation, followed replacements. */
async function workWithWebshare(input: RecordInput, read: TickRead, budget: SubrequestBudget) {
  const { state } = read;
  const { config, log, nowMs } = input;
  const connection = await connectForTick({ config, kv: input.kv, budget, state, nowMs });
  // Asynchronous replacements the admin API or chat-ops started, for this tick to follow (one KV list,
  // only where replacements are asynchronous).
  const tracked = connection.client.replacesAsynchronously ? await listTrackedReplacements(input.kv) : [];
  const channels = configuredChannels(config).length;
  const keep = channels * NOTIFICATION_RESERVE_PER_CHANNEL;
  const collected = await collect({
    connection,
    state,
    budget,
    keep,
    // Room for pending remediation retries too, or a large account's sweep would take it all again.
    sweepKeep: remediationReserve(config.remediation, state.remediation, channels, tracked.length),
    sweepPagesCap: config.sweepPagesPerTick,
    stateBytes: read.store.meter.bytesRead,
    nowMs,
  });

  // Acts only on the sweep finished by THIS tick (never the carried-over one), plus pending retries.
  const remediation = await runRemediation({
    config: config.remediation,
    sweep: collected.sweep.finished,
    quotas: collected.quotas,
    state: state.remediation,
    client: connection.client,
    tracked,
    budget,
    keepSubrequests: keep,
    channels,
    nowMs,
    log,
  });
  // Webshare is done with for this tick: what it reserved and did not use frees the window now, and
  // what it used holds the window a minute after its use, not after its lease.
  await connection.slots?.settle();

  if (connection.choiceError) collected.errors.unshift(toSourceError('webshare_api', connection.choiceError));
  await Promise.all(remediation.untrack.map((id) => deleteTrackedReplacement(input.kv, id)));
  // The chosen dialect no longer answers its own paths: probe again next tick.
  const gone = dialectGone(connection.choice, collected.errors);
  if (gone) {
    log.warn('webshare: the probed API answers 404 to its own paths; probing again next tick', {
      dialect: connection.client.dialect,
    });
    await forgetDialect(input.kv);
  }
  return { connection, collected, remediation, gone };
}

/** The snapshot and the next state in the tick's one KV write, then what the tick reports. */
async function storeTick(
  input: RecordInput,
  read: TickRead,
  budget: SubrequestBudget,
  work: TickWork,
): Promise<TickResult> {
  const { config, log, nowMs, scheduledTime } = input;
  const { connection, collected, remediation } = work;
  const { state } = read;
  const { client } = connection;
  const facts = {
    webshareApi: work.gone ? null : connection.choice,
    dialect: client.dialect,
    scheduledTime,
    nowMs,
    collected,
    quotas: remediation.quotas,
    remediation,
    subrequests: { used: budget.used, limit: budget.limit },
    sent: { general: client.sentByBucket.general, proxyList: client.sentByBucket.proxyList },
    alertSummary: read.alertSummary,
  };
  const snapshot = buildSnapshot(state, facts);
  const next = advanceState(state, facts, snapshot);
  // The digest is decided and marked sent in this same write (see digest/plan.ts).
  const digest = planDigest(config.digest, next, nowMs);
  await read.store.writeTick(
    nowMs,
    read.bucket,
    snapshot,
    digest ? { ...next, digest: digest.record } : next,
  );

  if (connection.slots?.unreachable) log.warn('rate gate unreachable; this tick limited itself only');
  const sweepPages = collected.sweep.pagesFetched;
  log.info('tick done', {
    scheduledTime,
    webshareCalls: client.requestCount,
    sweepPages,
    errors: collected.errors.map((e) => `${e.source}:${e.kind}`),
  });
  return {
    status: 'done',
    snapshot,
    previous: state.latest,
    recent: [...read.recent.filter((entry) => entry.scheduled_time < scheduledTime), snapshot],
    budget,
    notices: digest ? [...remediation.notices, digest.notification] : remediation.notices,
    webshareCalls: client.requestCount,
    sweepPages,
    kvReads: read.kvReads(),
    kvWrites: read.store.meter.writes,
  };
}
