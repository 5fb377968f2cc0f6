/**
 * Which dialect the account speaks, for WEBSHARE_API_VERSION=auto. One probe decides it: GET
 * /api/v2/subscription/ answering at all means v2; 404 means the server has no v2 (fall back to v1).
 * The answer is kept in KV (src/storage/dialect-choice.ts) and in the poller state by the tick, so
 * requests outside ticks read it with one cached KV read, and it is probed again only when the chosen
 * dialect starts answering 404 to its own paths (see `forgetDialect` there).
 */
import type { WebshareDialect } from './api';
import { WebshareNotFoundError } from './errors';
import type { WebshareTransportOptions } from './transport';
import { WebshareV2Client } from './v2/client';

/**
 * Probes v2 once. Throws the WebshareError of anything but a 2xx or a 404 (a 401 or an outage says
 * nothing about which dialect exists), so the caller decides nothing and probes again next time.
 */
export async function probeDialect(options: WebshareTransportOptions): Promise<WebshareDialect> {
  try {
    await new WebshareV2Client(options).subscription();
    return 'v2';
  } catch (error) {
    if (error instanceof WebshareNotFoundError) return 'v1';
    throw error;
  }
}
