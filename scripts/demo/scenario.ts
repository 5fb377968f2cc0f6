/**
 * The demo's story, played against the simulator on an accelerated clock: bandwidth climbs through
 * 80 / 90 / 100 %, an invalid-proxy spike hits and recovers, a customer signs up, the billing period
 * renews. Each step changes the simulated account, then fires the cron once.
 */
import { Webhook } from 'standardwebhooks';
import { DEMO_SIGNUP_SECRET, type Stack } from './stack';

const GIB = 1024 ** 3;
const LIMIT_BYTES = 50 * GIB;

export interface Step {
  say: string;
  act(stack: Stack): Promise<void> | void;
}

/** Sets usage and Webshare's projection for the period, both as percentages of the 50 GB limit. */
function usage(stack: Stack, percent: number, projectedPercent: number): void {
  stack.sim.control.setBandwidth({
    usedBytes: Math.round((LIMIT_BYTES * percent) / 100),
    limitBytes: LIMIT_BYTES,
    projectedBytes: Math.round((LIMIT_BYTES * projectedPercent) / 100),
  });
}

async function signUp(stack: Stack, customerId: string, plan: string): Promise<string> {
  const body = JSON.stringify({
    type: 'customer.created',
    timestamp: new Date().toISOString(),
    data: { customer_id: customerId, plan },
  });
  const id = `msg_demo_${customerId}`;
  const signature = new Webhook(DEMO_SIGNUP_SECRET).sign(id, new Date(), body);
  const response = await fetch(`${stack.workerUrl}/hooks/signup`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
  const result = (await response.json()) as { subuser?: { id?: number; proxy_username?: string } };
  return response.ok
    ? `sub-user #${result.subuser?.id ?? '?'} (${result.subuser?.proxy_username ?? 'credentials returned to the caller'})`
    : `failed with ${response.status}`;
}

export const SCENARIO: Step[] = [
  { say: 'A quiet account: 10 % of 50 GB used, every proxy valid.', act: (s) => usage(s, 10, 30) },
  {
    say: 'Traffic picks up: 55 %, on course for 125 % by the end of the period — expect a projection warning.',
    act: (s) => usage(s, 55, 125),
  },
  { say: 'Bandwidth crosses 80 % — expect one warning per channel.', act: (s) => usage(s, 82, 140) },
  { say: 'Still 85 % — nothing new should be sent.', act: (s) => usage(s, 85, 142) },
  { say: 'Bandwidth crosses 90 % — one escalation, not a second alert.', act: (s) => usage(s, 93, 150) },
  {
    say: 'A quarter of the proxies go invalid at once (a bad subnet in DE).',
    act: (s) => {
      s.sim.control.invalidate(25, { country: 'DE' });
    },
  },
  { say: 'Bandwidth hits 100 % — critical.', act: (s) => usage(s, 100.5, 160) },
  {
    say: 'The bad subnet recovers.',
    act: (s) => {
      s.sim.control.recover('all');
    },
  },
  {
    say: 'A customer signs up on the "starter" plan (signed webhook → Webshare sub-user).',
    act: async (s) => {
      console.log(`           → ${await signUp(s, 'cus_demo_42', 'starter')}`);
    },
  },
  {
    say: 'The billing period renews: usage back to 2 % — expect resolved messages.',
    act: (s) => usage(s, 2, 5),
  },
];

/** Plays the scenario, one step and one cron tick every `intervalMs`. */
export async function playScenario(
  stack: Stack,
  intervalMs: number,
  log: (line: string) => void,
): Promise<void> {
  for (const [index, step] of SCENARIO.entries()) {
    log(`step ${index + 1}/${SCENARIO.length}: ${step.say}`);
    await step.act(stack);
    await stack.tick();
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
