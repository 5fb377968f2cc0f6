/**
 * `npm start`: the whole of webshare-ops on this machine, against the built-in Webshare simulator.
 * No account, no secret, no network. Ctrl-C stops everything it started.
 *
 *   DEMO_PORT (8787)  the worker      DEMO_SIM_PORT (9080)  the simulator
 *   DEMO_SINK_PORT (9090)  the sink   DEMO_TICK_SECONDS (4)  time between cron ticks
 *   DEMO_API_VERSION (v2)  the Webshare API the simulator and the worker speak (v1 or v2)
 */
import { playScenario } from './demo/scenario';
import { DEMO_ADMIN_TOKEN, startStack, type Stack } from './demo/stack';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const tickSeconds = Number(process.env.DEMO_TICK_SECONDS ?? 4);

// wrangler prints these because this machine has no internet; they are harmless here.
const NOISE = /getaddrinfo|ENOTFOUND|Request\.cf|GetAddrInfoReqWrap|callbackTrampoline|^\s+at /;

function say(line: string): void {
  const stamp = new Date().toISOString().slice(11, 19);
  console.log(`\x1b[2m${stamp}\x1b[0m ${line}`);
}

let stack: Stack | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping the worker, the simulator and the sink…');
    await stack?.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

say('starting the Webshare simulator, the notification sink and the worker (wrangler dev)…');
try {
  stack = await startStack({
    workerPort: port('DEMO_PORT', 8787),
    simPort: port('DEMO_SIM_PORT', 9080),
    sinkPort: port('DEMO_SINK_PORT', 9090),
    proxyCount: 100,
    // The demo speaks v2 (what new Webshare accounts use); DEMO_API_VERSION=v1 for the legacy API.
    apiVersion: process.env.DEMO_API_VERSION === 'v1' ? 'v1' : 'v2',
    onWorkerLog: (line) => {
      if (!NOISE.test(line)) console.log(`\x1b[2m[worker]   ${line}\x1b[0m`);
    },
  });
} catch (error) {
  console.error(`could not start the demo: ${(error as Error).message}`);
  await shutdown(1);
}
const running = stack!;

console.log(`
  Dashboard:    ${running.workerUrl}/   (admin token: ${DEMO_ADMIN_TOKEN})
  API docs:     ${running.workerUrl}/docs     OpenAPI: ${running.workerUrl}/openapi.json
  Status:       curl -H 'Authorization: Bearer ${DEMO_ADMIN_TOKEN}' ${running.workerUrl}/v1/status
  Notifications sent to Slack, Discord and the signed webhook print below.
  Ctrl-C stops everything.
`);

await playScenario(running, tickSeconds * 1000, say);
say(`scenario done; the cron keeps running every ${tickSeconds} s (steady state: no new messages).`);
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, tickSeconds * 1000));
  await running.tick().catch((error: Error) => say(`tick failed: ${error.message}`));
}
