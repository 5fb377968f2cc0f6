/**
 * The dashboard in the first minutes after a deploy: before any tick it says it is waiting for the
 * first one, when the cron runs it and how to run one now; an admin session can run one from the page
 * ("Run a tick now", a CSRF-protected form), a read-only session cannot.
 */
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import { formatTime } from '../../src/lib/format';
import { setNow, testNow } from '../helpers/clock';
import { FIVE_MINUTES_MS, pollerRig, type PollerRig } from '../poller/helpers';
import { TOKEN, login, request, sessionCookie } from './helpers';

const READ_TOKEN = 'read-only-token-abcdef-0123';
const READER = { ADMIN_READ_TOKEN: READ_TOKEN };

/** The CSRF token of the page's "Run a tick now" form, or null when the page has no such form. */
function runTickCsrf(html: string): string | null {
  return (
    /<form class="run-tick"[^>]*><input type="hidden" name="csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ??
    null
  );
}

function postTick(cookie: string, fields: Record<string, string>, extraEnv: Partial<Env> = {}) {
  return request(
    '/dashboard/tick',
    {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    },
    { ...READER, ...extraEnv },
  );
}

async function latestTick(rig: PollerRig) {
  const { state } = await rig.store().readState(Date.now());
  return state.latest;
}

describe('the dashboard before the first tick', () => {
  it('says it is waiting for the first tick, when the cron runs it and how to run one now', async () => {
    // One minute past a 5-minute boundary: the next cron tick is four minutes away.
    const boundary = Math.ceil(testNow() / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
    setNow(boundary + 60_000);
    const cookie = sessionCookie(await login());
    const html = await (await request('/', { headers: { Cookie: cookie } })).text();
    expect(html).toContain('Waiting for the first tick');
    expect(html).toContain(`<time data-field="next-tick">${formatTime(boundary + FIVE_MINUTES_MS)}</time>`);
    expect(html).toMatch(/\(in\s*4 min\)/);
    expect(html).toContain('POST /v1/poll with the admin token');
  });

  it('stops saying so once a tick has run', async () => {
    const rig = pollerRig();
    await rig.tick(Date.now());
    const cookie = sessionCookie(await login());
    const html = await (await request('/', { headers: { Cookie: cookie } })).text();
    expect(html).not.toContain('Waiting for the first tick');
    expect(html).toContain('Last tick');
  });
});

describe('"Run a tick now" on the dashboard', () => {
  it('runs a tick for an admin session and comes back to the dashboard, which says it is done', async () => {
    const rig = pollerRig();
    const cookie = sessionCookie(await login());
    const page = await (await request('/', { headers: { Cookie: cookie } })).text();
    const csrf = runTickCsrf(page);
    expect(csrf).not.toBeNull();
    expect(await latestTick(rig)).toBeNull();

    const response = await postTick(cookie, { csrf: csrf! });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/dashboard?tick=done');
    expect(await latestTick(rig)).not.toBeNull();

    const after = await (await request('/dashboard?tick=done', { headers: { Cookie: cookie } })).text();
    expect(after).toContain('data-field="tick-notice"');
    expect(after).toContain('Tick done');
    expect(after).not.toContain('Waiting for the first tick');
  });

  it('says so when no tick could run because WEBSHARE_API_KEY is not set', async () => {
    const rig = pollerRig();
    const cookie = sessionCookie(await login());
    const csrf = runTickCsrf(await (await request('/', { headers: { Cookie: cookie } })).text());
    const response = await postTick(cookie, { csrf: csrf! }, { WEBSHARE_API_KEY: '' });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/dashboard?tick=not_configured');
    expect(await latestTick(rig)).toBeNull();
    const page = await request('/dashboard?tick=not_configured', { headers: { Cookie: cookie } });
    expect(await page.text()).toContain('No tick ran: WEBSHARE_API_KEY is not set.');
  });

  it('shows no notice for a tick query it did not set', async () => {
    const cookie = sessionCookie(await login());
    const html = await (await request('/dashboard?tick=%3Cb%3Ehi', { headers: { Cookie: cookie } })).text();
    expect(html).not.toContain('data-field="tick-notice"');
    expect(html).not.toContain('<b>hi');
  });

  it('is not offered to a read-only session, whose post is refused with 403 and runs nothing', async () => {
    const rig = pollerRig();
    const reader = sessionCookie(await login(READ_TOKEN, READER));
    const page = await (await request('/', { headers: { Cookie: reader } }, READER)).text();
    expect(page).toContain('Waiting for the first tick');
    expect(page).not.toContain('/dashboard/tick');
    expect(page).not.toContain('Run a tick now');

    // Even with a token taken from an admin session's page.
    const admin = sessionCookie(await login(TOKEN, READER));
    const adminCsrf = runTickCsrf(await (await request('/', { headers: { Cookie: admin } }, READER)).text());
    const response = await postTick(reader, { csrf: adminCsrf! });
    expect(response.status).toBe(403);
    expect(await latestTick(rig)).toBeNull();
  });

  it('is not offered to a bearer caller, who has POST /v1/poll', async () => {
    const page = await (await request('/', { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(page).toContain('Waiting for the first tick');
    expect(runTickCsrf(page)).toBeNull();
  });

  it.each([
    ['no CSRF token', {}],
    ['an empty one', { csrf: '' }],
    ['a forged one', { csrf: 'f'.repeat(64) }],
  ])('refuses an admin session post with %s (403) and runs nothing', async (_case, fields) => {
    const rig = pollerRig();
    const cookie = sessionCookie(await login());
    const response = await postTick(cookie, fields);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('reload the dashboard');
    expect(await latestTick(rig)).toBeNull();
  });

  it("refuses another session's CSRF token: each token is bound to its session", async () => {
    const rig = pollerRig();
    const first = sessionCookie(await login());
    const second = sessionCookie(await login());
    const firstCsrf = runTickCsrf(await (await request('/', { headers: { Cookie: first } })).text());
    expect((await postTick(second, { csrf: firstCsrf! })).status).toBe(403);
    expect(await latestTick(rig)).toBeNull();
  });

  it('sends a signed-out post to the login form and runs nothing', async () => {
    const rig = pollerRig();
    const response = await postTick('', { csrf: 'f'.repeat(64) });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login');
    expect(await latestTick(rig)).toBeNull();
  });
});
