/**
 * The simulator as a standalone Node server (`npm run sim`): the API under /api/*, the control
 * surface under /__sim/*. Options come from the environment:
 *   SIM_PORT (9080), SIM_HOST (127.0.0.1), SIM_API_KEY, SIM_PROXY_COUNT, SIM_PAGE_SIZE,
 *   SIM_SUBUSER_PAGE_SIZE, SIM_SEED, SIM_BANDWIDTH_LIMIT_BYTES, SIM_ONDEMAND_REFRESHES,
 *   SIM_PROXY_REPLACEMENTS, SIM_ENFORCE_RATE_LIMITS (true/false), SIM_STATS_SPELLING (example/table),
 *   SIM_FIELD_ERROR_SHAPE (strings/objects), SIM_ORIGIN (default http://HOST:PORT),
 *   SIM_REAL_CLOCK (true: follow the wall clock instead of the scenario clock),
 *   SIM_API_VERSION or `--api v1|v2|both` (both: the legacy and the v2/v3 paths over one state),
 *   SIM_QUIRKS (comma-separated) or `--quirk NAME` (repeatable): assumptions of the worker's the
 *   simulator contradicts (sim/options.ts SIM_QUIRKS), e.g. `--quirk ignore-x-subuser`.
 */
import { serve } from '@hono/node-server';
import { createSimulator } from './simulator';
import { NETWORK_ERROR_MESSAGE } from './faults';
import {
  SIM_QUIRKS,
  type FieldErrorShape,
  type SimApiVersion,
  type SimQuirk,
  type SimulatorOptions,
  type StatsSpelling,
} from './options';

const DEFAULT_PORT = 9080;

function intEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number`);
  return value;
}

function boolEnv(name: string): boolean | undefined {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? undefined : !['0', 'false', 'no'].includes(raw.toLowerCase());
}

/** `--api v2` (or SIM_API_VERSION): which Webshare API the simulator answers. */
function apiVersionArg(): SimApiVersion | undefined {
  const flag = process.argv.indexOf('--api');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env.SIM_API_VERSION;
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'v1' && raw !== 'v2' && raw !== 'both') throw new Error('--api must be v1, v2 or both');
  return raw;
}

/** Every `--quirk NAME`, or SIM_QUIRKS; an unknown name stops the server with the known ones. */
function quirksArg(): SimQuirk[] {
  const named = process.argv.flatMap((arg, i) => (arg === '--quirk' ? [process.argv[i + 1] ?? ''] : []));
  const fromEnv = (process.env.SIM_QUIRKS ?? '').split(',').map((q) => q.trim());
  const quirks = [...named, ...fromEnv].filter((q) => q !== '');
  for (const quirk of quirks) {
    if (!(SIM_QUIRKS as readonly string[]).includes(quirk)) {
      throw new Error(`--quirk must be one of: ${SIM_QUIRKS.join(', ')} (got "${quirk}")`);
    }
  }
  return quirks as SimQuirk[];
}

const port = intEnv('SIM_PORT') ?? DEFAULT_PORT;
const hostname = process.env.SIM_HOST || '127.0.0.1';
const options: SimulatorOptions = {
  apiKey: process.env.SIM_API_KEY || undefined,
  proxyCount: intEnv('SIM_PROXY_COUNT'),
  pageSize: intEnv('SIM_PAGE_SIZE'),
  subUserPageSize: intEnv('SIM_SUBUSER_PAGE_SIZE'),
  seed: intEnv('SIM_SEED'),
  bandwidthLimitBytes: intEnv('SIM_BANDWIDTH_LIMIT_BYTES'),
  ondemandRefreshes: intEnv('SIM_ONDEMAND_REFRESHES'),
  proxyReplacements: intEnv('SIM_PROXY_REPLACEMENTS'),
  enforceRateLimits: boolEnv('SIM_ENFORCE_RATE_LIMITS'),
  statsSpelling: (process.env.SIM_STATS_SPELLING as StatsSpelling) || undefined,
  fieldErrorShape: (process.env.SIM_FIELD_ERROR_SHAPE as FieldErrorShape) || undefined,
  origin: process.env.SIM_ORIGIN || `http://${hostname}:${port}`,
  now: boolEnv('SIM_REAL_CLOCK') ? Date.now : undefined,
  apiVersion: apiVersionArg(),
  quirks: quirksArg(),
};
const sim = createSimulator(options);

const server = serve({
  hostname,
  port,
  async fetch(request, env) {
    try {
      // Node's Request and the Workers types' Request are the same WHATWG object at run time.
      return await sim.fetch(request as unknown as Request);
    } catch (error) {
      // A networkError fault: drop the connection, as a reset would.
      if (error instanceof TypeError && error.message === NETWORK_ERROR_MESSAGE)
        env.incoming.socket?.destroy();
      throw error;
    }
  },
});

console.log(`Webshare simulator listening on http://${hostname}:${port}`);
console.log(`  API key: ${sim.state.apiKey}   (a simulator key, not a real one)`);
console.log(`  control: http://${hostname}:${port}/__sim/state`);
if (options.quirks?.length)
  console.log(`  quirks: ${options.quirks.join(', ')} (contradicting the worker's assumptions)`);

let closing = false;
function shutdown(signal: string): void {
  if (closing) return;
  closing = true;
  console.log(`\n${signal}: stopping the simulator`);
  server.close(() => process.exit(0));
  // Keep-alive connections can hold close() open; do not hang the terminal for them.
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
