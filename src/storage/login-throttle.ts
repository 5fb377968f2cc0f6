/**
 * Dashboard login throttle: one Durable Object per client (IPv4 address or IPv6 /64, named by
 * lib/ip.ts clientKey), allowing LOGIN_MAX_FAILURES failed logins per LOGIN_WINDOW_SECONDS.
 *
 * Why a Durable Object, not KV: KV has no atomic increment and a write can take up to 60 s to be seen
 * elsewhere, so parallel guesses would each read a low count and all get through; and every failure
 * would spend one of the Free plan's 1,000 KV writes a day, which a stranger could use up. Here each
 * attempt is counted before the token is checked (begin), in one synchronous read-and-write, so at
 * most LOGIN_MAX_FAILURES checks run per window however many arrive at once; a correct token clears
 * the count (succeeded). An alarm deletes the object's storage once its window is over.
 */
import { DurableObject } from 'cloudflare:workers';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_SECONDS = 5 * 60;
const WINDOW_MS = LOGIN_WINDOW_SECONDS * 1000;
const COUNT_KEY = 'attempts';

interface Attempts {
  windowStartMs: number;
  failures: number;
}

export type LoginGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class LoginThrottle extends DurableObject {
  /** Counts this attempt as a failure until `succeeded` says otherwise; refuses once the window is full. */
  begin(nowMs: number): LoginGate {
    const stored = this.ctx.storage.kv.get<Attempts>(COUNT_KEY);
    const current =
      stored && nowMs - stored.windowStartMs < WINDOW_MS ? stored : { windowStartMs: nowMs, failures: 0 };
    if (current.failures >= LOGIN_MAX_FAILURES) {
      const retryAfterSeconds = Math.max(1, Math.ceil((current.windowStartMs + WINDOW_MS - nowMs) / 1000));
      return { allowed: false, retryAfterSeconds };
    }
    this.ctx.storage.kv.put<Attempts>(COUNT_KEY, { ...current, failures: current.failures + 1 });
    if (current.failures === 0) void this.ctx.storage.setAlarm(current.windowStartMs + WINDOW_MS);
    return { allowed: true };
  }

  /** A correct token: the client's earlier typos no longer count. */
  succeeded(): void {
    this.ctx.storage.kv.delete(COUNT_KEY);
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
