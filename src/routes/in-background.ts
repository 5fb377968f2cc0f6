/** Work a response need not wait for. */
import type { Context } from 'hono';
import type { AppEnv } from '../context';

/** After the response when the runtime allows it (waitUntil); inline where there is no ExecutionContext. */
export async function inBackground(c: Context<AppEnv>, work: Promise<void>): Promise<void> {
  let context: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    context = c.executionCtx;
  } catch {
    // app.request() without an ExecutionContext: Hono's getter throws.
  }
  if (context) context.waitUntil(work);
  else await work;
}
