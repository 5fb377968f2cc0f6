/**
 * The scheduled cycle, shared by the cron trigger and `POST /v1/poll`: poll → snapshot → rules → notify.
 * Orchestration only; each step lives in its own module.
 */
import { notifyAll, runAlerting, type AlertingReport } from '../alerts/engine';
import { loadConfig, type Config } from '../config';
import type { Env } from '../env';
import { createLogger, type Logger } from '../lib/log';
import { runTick, type TickResult } from './tick';

export interface CycleResult {
  tick: TickResult;
  /** null when the tick did not produce a new snapshot (duplicate, not configured) or alerting failed. */
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
  const tick = await runTick({ kv, config, log, scheduledTime: options.scheduledTime, nowMs });
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

  // Auto-remediation notices, after the alerts (which keep first call on the budget); one at a time,
  // since each send updates the shared outbox, where whatever cannot go out now is retried later.
  for (const notice of tick.notices) {
    try {
      await notifyAll(kv, config, notice, tick.budget, log, { nowMs });
    } catch (error) {
      log.error('remediation notice failed', { id: notice.id, error });
    }
  }
  return { tick, alerting };
}
