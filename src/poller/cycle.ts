/**
 * The scheduled cycle, shared by the cron trigger and `POST /v1/poll`: poll → snapshot → rules → notify.
 * Orchestration only; each step lives in its own module.
 */
import { loadConfig, type Config } from '../config';
import type { Env } from '../env';
import { createLogger, type Logger } from '../lib/log';
import { runTick, type TickResult } from './tick';

export interface CycleResult {
  tick: TickResult;
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
  const tick = await runTick({
    kv: options.env.STATE,
    config,
    log,
    scheduledTime: options.scheduledTime,
    nowMs: options.nowMs ?? Date.now(),
  });
  return { tick };
}
