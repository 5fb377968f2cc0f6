/** The cron trigger: a thin shell over the shared cycle. */
import type { Env } from './env';
import { createLogger } from './lib/log';
import { runTick } from './cycle/tick';

export async function scheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  try {
    // The cron entry point's one clock read. A tick is *for* its scheduledTime and runs at
    // max(now, scheduledTime): on time, a clock a few ms early cannot put a 10:00 tick in the 09:00
    // bucket; late, what is stored and leased is measured at the real now (docs/architecture.md).
    await runTick({
      env,
      scheduledTime: controller.scheduledTime,
      nowMs: Math.max(Date.now(), controller.scheduledTime),
    });
  } catch (error) {
    // The cycle records upstream failures itself; anything reaching here is a bug (or KV is down).
    // Logged rather than rethrown so one bad tick does not mark the cron as failing forever.
    createLogger().error('scheduled cycle failed', { error });
  }
}
