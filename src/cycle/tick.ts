/**
 * A tick, shared by the cron trigger and `POST /v1/poll`: hold the poll lease, record the tick
 * (collect → remediate → snapshot → one KV write), then evaluate the alerts and send remediation's
 * notices. Orchestration only; each step lives in its own module.
 */
import { runAlerting, type AlertingReport } from '../alerts/engine';
import { adoptIntoOutbox, notifyMany } from '../alerts/one-off';
import { configFor, type Config } from '../config';
import type { Env } from '../env';
import { SubrequestBudget } from '../lib/budget';
import { createLogger, type Logger } from '../lib/log';
import { claimPollCycle } from './poll-lock';
import { recordTick, type TickResult } from './record';

export interface TickReport {
  tick: TickResult;
  /** null when the tick did not produce a new snapshot (duplicate, busy, not configured) or alerting failed. */
  alerting: AlertingReport | null;
}

export async function runTick(options: {
  env: Env;
  scheduledTime: number;
  nowMs?: number;
  config?: Config;
  log?: Logger;
}): Promise<TickReport> {
  // Parsed once per isolate (and env), as for requests: zod's parse of the structured vars (ALERTS,
  // REMEDIATION, DIGEST) was a fifth of a warm tick's CPU in workerd (`npm run bench`).
  const config = options.config ?? (await configFor(options.env));
  const log =
    options.log ??
    createLogger({
      secrets: config.secretValues,
      level: config.logLevel,
      fields: { tick: options.scheduledTime },
    });
  for (const problem of config.problems) log.error('invalid configuration', { ...problem });
  const nowMs = options.nowMs ?? Date.now();
  const kv = options.env.STATE;
  const budget = new SubrequestBudget(config.subrequestBudget);

  // One tick at a time: overlapping ticks would both notify (KV cannot arbitrate between them).
  const claim = await claimPollCycle(options.env, options.scheduledTime, nowMs, budget, log);
  if (!claim.claimed) {
    log.info('tick skipped: another one is running', { retryAfterMs: claim.retryAfterMs });
    const tick: TickResult = { status: 'busy', retryAfterMs: claim.retryAfterMs, kvReads: 0, kvWrites: 0 };
    return { tick, alerting: null };
  }
  let adopted = false;
  try {
    // Notifications handed over from outside ticks join the outbox first, so this tick retries them.
    if (claim.handedOver.length > 0) {
      await adoptIntoOutbox(kv, claim.handedOver);
      adopted = true;
    }
    const tick = await recordTick({ kv, config, log, scheduledTime: options.scheduledTime, nowMs, budget });
    if (tick.status !== 'done') return { tick, alerting: null };

    let alerting: AlertingReport | null = null;
    try {
      alerting = await runAlerting({
        kv,
        config,
        log,
        current: tick.snapshot,
        previous: tick.previous,
        history: tick.recent,
        budget: tick.budget,
        nowMs,
      });
    } catch (error) {
      // The snapshot is stored; a failure here must not lose it. The next tick evaluates again.
      log.error('alerting failed', { error });
    }

    // Auto-remediation notices and a due digest (already marked sent in the tick's write), after the
    // alerts (which keep first call on the budget), in one batch: one outbox read and at most one
    // write, and what cannot go out now is retried by later ticks.
    if (tick.notices.length > 0) {
      try {
        await notifyMany(kv, config, tick.notices, tick.budget, log, { nowMs });
      } catch (error) {
        log.error('notices failed', { ids: tick.notices.map((n) => n.id), error });
      }
    }
    return { tick, alerting };
  } finally {
    await claim.release(adopted);
  }
}
