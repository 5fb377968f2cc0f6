/**
 * Which Webshare dialect a tick speaks. WEBSHARE_API_VERSION=v1|v2 decides it; with `auto` the choice
 * kept in the poller state is used, else the one a request outside a tick stored in KV, else one
 * probe of v2 decides it (and is stored for both). It is forgotten, so the next tick probes again,
 * only when the chosen dialect answers 404 to its own core paths.
 */
import type { Config } from '../config';
import type { PollerState, WebshareApiChoice } from '../model/poller-state';
import type { SourceError } from '../model/snapshot';
import { forgetDialect, readDialect, storeDialect } from '../storage/dialect-choice';
import { probeDialect } from '../webshare/dialect';
import type { WebshareTransportOptions } from '../webshare/transport';
import { toSourceError } from './sources';

export interface TickDialect {
  /** What to remember; null when auto could not decide this tick (it speaks v1 meanwhile). */
  choice: WebshareApiChoice | null;
  dialect: 'v1' | 'v2';
  error: SourceError | null;
}

export async function chooseTickDialect(options: {
  config: Config;
  state: PollerState;
  kv: KVNamespace;
  transport: WebshareTransportOptions;
  nowMs: number;
}): Promise<TickDialect> {
  const { config, state, nowMs } = options;
  const decidedAt = new Date(nowMs).toISOString();
  const version = config.webshareApiVersion;
  if (version !== 'auto') {
    const kept = state.webshare_api;
    const choice =
      kept?.source === 'config' && kept.dialect === version
        ? kept
        : { dialect: version, source: 'config' as const, decided_at: decidedAt };
    return { choice, dialect: version, error: null };
  }
  if (state.webshare_api?.source === 'probe') {
    return { choice: state.webshare_api, dialect: state.webshare_api.dialect, error: null };
  }
  const stored = await readDialect(options.kv);
  if (stored) return { choice: stored, dialect: stored.dialect, error: null };
  try {
    const dialect = await probeDialect(options.transport);
    const choice: WebshareApiChoice = { dialect, source: 'probe', decided_at: decidedAt };
    await storeDialect(options.kv, choice);
    return { choice, dialect, error: null };
  } catch (error) {
    return { choice: null, dialect: 'v1', error: toSourceError('webshare_api', error) };
  }
}

/**
 * True when a probed dialect should be probed again: both core sources of this tick answered 404,
 * i.e. the server no longer knows the dialect's own paths.
 */
export function dialectGone(choice: WebshareApiChoice | null, errors: SourceError[]): boolean {
  if (choice?.source !== 'probe') return false;
  const core = errors.filter((e) => e.source === 'stats' || e.source === 'replacement_info');
  return core.length === 2 && core.every((e) => e.status === 404);
}

export async function forgetTickDialect(kv: KVNamespace): Promise<void> {
  await forgetDialect(kv);
}
