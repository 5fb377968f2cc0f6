/**
 * The scheduled cycle, shared by the cron trigger and `POST /v1/poll`: poll → snapshot → rules → notify.
 * Orchestration only; each step lives in its own module.
 */
import { notifyMany, runAlerting, type AlertingReport } from '../alerts/engine';
import { loadConfig, type Config } from '../config';
import type { Env } from '../env';
import { SubrequestBudget } from '../lib/budget';
import { createLogger, type Logger } from '../lib/log';
import { claimPollCycle } from './poll-lock';
import { runTick, type TickResult } from './tick';

export interface CycleResult {
  tick: TickResult;
  /** null when the tick did not produce a new snapshot (duplicate, busy, not configured) or alerting failed. */
  alerting: AlertingReport | null;
}

export async function runCycle(options: {
  env: Env;
  scheduledTime: number;
  nowMs?: number;
  config?: Config;
  log?: Logger;
}): Promise<CycleResult> {
  const config = options.config ?? loadConfig(options.env);
  const log =
    options.log ?? createLogger({ secrets: config.secretValues, fields: { tick: options.scheduledTime } });
  for (const problem of config.problems) log.error('invalid configuration', { ...problem });
  const nowMs = options.nowMs ?? Date.now();
  const kv = options.env.STATE;
  const budget = new SubrequestBudget(config.subrequestBudget);

  // One cycle at a time: overlapping cycles would both notify (KV cannot arbitrate between them).
  const claim = await claimPollCycle(options.env, options.scheduledTime, nowMs, budget, log);
  if (!claim.claimed) {
    log.info('cycle skipped: another one is running', { retryAfterMs: claim.retryAfterMs });
    return {
      tick: { status: 'busy', retryAfterMs: claim.retryAfterMs, kvReads: 0, kvWrites: 0 },
      alerting: null,
    };
  }
  try {
    const tick = await runTick({ kv, config, log, scheduledTime: options.scheduledTime, nowMs, budget });
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

    // Auto-remediation notices, after the alerts (which keep first call on the budget), in one batch:
    // one outbox read and at most one write, and what cannot go out now is retried by later ticks.
    if (tick.notices.length > 0) {
      try {
        await notifyMany(kv, config, tick.notices, tick.budget, log, { nowMs });
      } catch (error) {
        log.error('remediation notices failed', { ids: tick.notices.map((n) => n.id), error });
      }
    }
    return { tick, alerting };
  } finally {
    await claim.release();
  }
}
