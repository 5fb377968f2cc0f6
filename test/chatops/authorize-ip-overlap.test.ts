/**
 * Two chat-ops authorised-IP changes at once, through the real worker against the v1 simulator. v1
 * replaces the whole set (read, edit, post it back), so two changes that overlap must run one after
 * the other: otherwise the later post restores what the earlier removed, or drops what it added,
 * while both answers say they were done. Webshare's config reads are slowed so the two always overlap.
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_LOCK_NAME } from '../../src/webshare/access/change-lock';
import { callWithEnv, errorOf } from '../admin/helpers';
import { routeOutbound } from '../helpers/outbound';
import { chatRig, plain, slack, type ChatRig } from './helpers';

const X = '198.51.100.10';
const Y = '203.0.113.20';
const CONFIG_PATH = '/api/proxy/config/';
const SLOW_READ_MS = 150;

/** The simulator, with each read of the proxy config answered SLOW_READ_MS late. */
function slowConfigReads(rig: ChatRig): void {
  routeOutbound({
    'webshare.sim': async (request) => {
      const url = new URL(request.url);
      if (request.method === 'GET' && url.pathname === CONFIG_PATH) {
        await new Promise((resolve) => setTimeout(resolve, SLOW_READ_MS));
      }
      return rig.sim.fetch(request);
    },
    'hooks.slack.test': rig.slack.fetch,
    'discord.test': rig.discord.fetch,
  });
}

/** The deferred answer whose text contains `marker`. */
function answer(rig: ChatRig, marker: string): string {
  const texts = rig.slack.requests.map((r) => plain((JSON.parse(r.body) as { text: string }).text));
  const found = texts.filter((text) => text.includes(marker));
  expect(found, `one answer with "${marker}" among ${JSON.stringify(texts)}`).toHaveLength(1);
  return found[0] as string;
}

/** The addresses an answer says are authorised now. */
function authorisedNow(text: string): string[] {
  const line = /Authorised now \(\d+\): (none|(?:`[^`]+`(?:, )?)+)/.exec(text)?.[1] ?? '';
  expect(line, `an "Authorised now" line in ${text}`).not.toBe('');
  return line === 'none' ? [] : [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

describe('overlapping authorize-ip changes (v1)', () => {
  it('remove X and add Y at once end with X removed and Y added, and each answer tells the truth', async () => {
    const rig = await chatRig();
    rig.sim.state.config.authorized_ips = [X];
    slowConfigReads(rig);

    await Promise.all([
      slack(rig, `authorize-ip remove ${X} confirm`),
      slack(rig, `authorize-ip add ${Y} confirm`),
    ]);

    expect(rig.sim.state.config.authorized_ips).toEqual([Y]);
    const removed = answer(rig, `\`${X}\` may no longer use the proxies`);
    const added = answer(rig, `\`${Y}\` may now use the proxies`);
    // Each answer shows the set right after its own change: X gone in the one, Y there in the other,
    // and the answer of whichever ran second shows the set as it is now.
    expect(authorisedNow(removed)).not.toContain(X);
    expect(authorisedNow(added)).toContain(Y);
    expect([authorisedNow(removed), authorisedNow(added)]).toContainEqual([Y]);
  });
});

describe('a change that cannot get the set in time', () => {
  it('is refused with 409 and Retry-After, changing nothing', async () => {
    const rig = await chatRig();
    rig.sim.state.config.authorized_ips = [X];
    const namespace = rig.env.ACCESS_LOCK;
    const stub = namespace.get(namespace.idFromName(ACCESS_LOCK_NAME));
    // Another change holds the set (for the whole lease) while this one waits.
    expect(await stub.acquire('another-change', 0)).toEqual({ ok: true });
    try {
      const response = await callWithEnv(
        '/v1/proxy-config',
        {},
        { method: 'PATCH', json: { authorized_ips: [X, Y] } },
      );
      expect(response.status).toBe(409);
      expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect((await errorOf(response)).code).toBe('authorized_ips_change_in_progress');
      expect(rig.sim.requests).toEqual([]);
      expect(rig.sim.state.config.authorized_ips).toEqual([X]);
    } finally {
      await stub.release('another-change');
    }
  }, 20_000);
});
