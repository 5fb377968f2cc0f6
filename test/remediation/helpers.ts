/** The poller rig with auto-remediation configured and a recording Slack sink for its notices. */
import type { SimulatorOptions } from '../../sim';
import type { Env } from '../../src/env';
import type { Snapshot } from '../../src/model/snapshot';
import type { PollerState } from '../../src/model/poller-state';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { FIVE_MINUTES_MS, START_MS, pollerRig, type PollerRig } from '../poller/helpers';

export const SLACK_URL = 'https://slack.sink/services/T000/B000/remediation';
export const REPLACEMENT_PATH = '/api/proxy/replacement/';
export const REFRESH_PATH = '/api/proxy/replacement/info/refresh/';

export interface RemediationRig extends PollerRig {
  slack: RecordingSink;
  /** Runs the cron for tick number `i` (START_MS + i × 5 min). */
  tickAt(i: number): Promise<void>;
  state(): Promise<PollerState>;
  latest(): Promise<Snapshot>;
  /** POSTs the simulator saw on a path (the ones it answered, faults included). */
  posts(path: string): number;
  /** Text of every auto-remediation message Slack received (alerts are filtered out). */
  notices(): string[];
}

export function remediationRig(
  remediation: Record<string, unknown> | string | undefined,
  simOptions: SimulatorOptions = {},
  extraEnv: Partial<Env> = {},
): RemediationRig {
  const rig = pollerRig(
    { proxyCount: 40, ...simOptions },
    {
      SLACK_WEBHOOK_URL: SLACK_URL,
      ...(remediation === undefined ? {} : { REMEDIATION: remediation }),
      ...extraEnv,
    },
  );
  const slack = new RecordingSink();
  routeOutbound({ 'webshare.sim': rig.sim.fetch, 'slack.sink': slack.fetch });
  const state = async () => (await rig.store().readState(rig.clock.now)).state;
  return {
    ...rig,
    slack,
    tickAt: (i) => rig.tick(START_MS + i * FIVE_MINUTES_MS),
    state,
    latest: async () => (await state()).latest!,
    posts: (path) => rig.sim.requests.filter((r) => r.method === 'POST' && r.path === path).length,
    notices: () =>
      slack.requests
        .map((r) => (JSON.parse(r.body) as { text: string }).text)
        .filter((text) => text.includes('Auto-remediation')),
  };
}

/** What the simulator's account looks like, to prove a run changed nothing. */
export function accountFingerprint(rig: PollerRig): string {
  const proxies = rig.sim.state.proxies;
  const addresses = Array.from({ length: proxies.count }, (_, i) => proxies.address(i));
  return JSON.stringify({
    quotas: rig.sim.state.quotas,
    replacements: rig.sim.state.replacements,
    addresses,
    invalid: proxies.invalidIndices(),
  });
}
