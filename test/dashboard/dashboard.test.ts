import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import { PULL_SLACK_BYTES, chunkedBody } from '../helpers/streams';
import { FIVE_MINUTES_MS, SLOW_TEST_TIMEOUT_MS, pollerRig } from '../poller/helpers';
import { countingKv } from '../alerts/harness';
import { runTick } from '../../src/cycle/tick';
import { setNow } from '../helpers/clock';
import { TOKEN, login, request, sessionCookie } from './helpers';

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

describe('the dashboard', () => {
  it('sends a signed-out browser to the login form', async () => {
    const response = await request('/');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login');
    const form = await request('/login');
    expect(await form.text()).toContain('name="token"');
  });

  it('refuses a chunked login body (no Content-Length) over 4 KiB with 413, without reading it all', async () => {
    const chunked = chunkedBody(64 * 1024);
    const response = await request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: chunked.body,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect(chunked.pulledBytes()).toBeLessThanOrEqual(4096 + PULL_SLACK_BYTES);
  });

  it('refuses a wrong token without setting a cookie', async () => {
    const response = await login('wrong-token');
    expect(response.status).toBe(401);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect(await response.text()).toContain('Invalid token.');
  });

  it('sets an HttpOnly, Secure, SameSite=Strict session cookie that does not contain the token', async () => {
    const response = await login();
    expect(response.status).toBe(303);
    const setCookie = response.headers.get('Set-Cookie')!;
    // __Host-: Secure, Path=/ and no Domain, so no subdomain can set or read it.
    expect(setCookie).toMatch(/^__Host-wsops_session=/);
    expect(setCookie).toMatch(/Path=\/(;|$)/);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
  });

  it('rejects a forged or stale-token session cookie', async () => {
    const cookie = sessionCookie(await login());
    const forged = cookie.replace(/\.[0-9a-f]{64}$/, `.${'0'.repeat(64)}`);
    expect(forged).not.toBe(cookie);
    expect((await request('/', { headers: { Cookie: forged } })).status).toBe(303);
    const rotated = await request(
      '/',
      { headers: { Cookie: cookie } },
      { ADMIN_TOKEN: 'a-new-admin-token-987654' },
    );
    expect(rotated.status).toBe(303);
  });

  it('shows the gauge, the charts, invalid proxies and quotas from the snapshot history', async () => {
    const rig = pollerRig({ proxyCount: 100 });
    const start = Date.now() - 3 * FIVE_MINUTES_MS;
    for (let i = 0; i < 3; i++) {
      rig.sim.control.setBandwidth({ usedBytes: (20 + i * 20) * 1024 ** 3, limitBytes: 50 * 1024 ** 3 });
      if (i === 2) rig.sim.control.invalidate(9, { country: 'FR' });
      await rig.tick(start + i * FIVE_MINUTES_MS);
    }
    const cookie = sessionCookie(await login());
    const response = await request('/', { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-chart="bandwidth-gauge"');
    expect(html).toContain('80%');
    // This hour's three snapshots end the period line (read with the state, at no extra cost).
    expect(html).toMatch(
      /data-chart="bandwidth" data-layout="wide"[^>]*>[\s\S]*?<polyline class="line" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+ [\d.]+,[\d.]+"/,
    );
    expect(html).toContain('data-series="projection"');
    expect(html).toMatch(/data-field="invalid-count">9</);
    expect(html).toContain('FR');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('test-api-key-9f8e7d6c');
  });

  it('ends a read-only session when ADMIN_READ_TOKEN is rotated or removed', async () => {
    const reader = { ADMIN_READ_TOKEN: 'read-only-token-abcdef-0123' };
    const cookie = sessionCookie(await login('read-only-token-abcdef-0123', reader));
    expect((await request('/', { headers: { Cookie: cookie } }, reader)).status).toBe(200);
    const rotated = await request(
      '/',
      { headers: { Cookie: cookie } },
      { ADMIN_READ_TOKEN: 'a-new-read-token-123456789' },
    );
    expect(rotated.status).toBe(303);
    expect((await request('/', { headers: { Cookie: cookie } })).status).toBe(303);
  });

  it('accepts a bearer token instead of the cookie', async () => {
    const response = await request('/', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No tick has run yet');
  });

  it('serves strict security headers whose style hash matches the inline stylesheet', async () => {
    const response = await request('/login');
    const csp = response.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(await response.text())![1]!;
    expect(csp).toContain(`'sha256-${await sha256Base64(style)}'`);
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('says which variable is missing when ADMIN_TOKEN is unset', async () => {
    const response = await request('/', {}, { ADMIN_TOKEN: '' });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('ADMIN_TOKEN');
  });
});

describe('the billing-period dashboard', () => {
  const DAY_MS = 86_400_000;

  /** One tick a day through a whole 31-day billing period, usage climbing to 93 %. */
  async function aMonthOfTicks() {
    const rig = pollerRig({ proxyCount: 100 });
    const answer = await rig.sim.fetch(
      new Request('https://webshare.sim/api/subscription/', {
        headers: { Authorization: 'Token test-api-key-9f8e7d6c' },
      }),
    );
    const subscription = (await answer.json()) as { start_date: string; end_date: string };
    const periodStart = Date.parse(subscription.start_date);
    const times = Array.from({ length: 31 }, (_, day) => periodStart + day * DAY_MS + 3_600_000);
    for (const [day, time] of times.entries()) {
      rig.sim.control.setBandwidth({
        usedBytes: Math.round(((day + 1) / 31) * 0.93 * 50 * 1024 ** 3),
        limitBytes: 50 * 1024 ** 3,
        projectedBytes: 48 * 1024 ** 3,
      });
      rig.clock.now = time;
      await runTick({ env: rig.env, scheduledTime: time, nowMs: time });
    }
    return { rig, last: times.at(-1)! };
  }

  it(
    'draws the whole period from the rollups with at most 40 KV reads per page view (31 days)',
    async () => {
      const { last } = await aMonthOfTicks();
      setNow(last + 60_000);
      const counted = countingKv((env as unknown as Env).STATE);
      const response = await request(
        '/dashboard',
        { headers: { Authorization: `Bearer ${TOKEN}` } },
        { STATE: counted.kv },
      );
      expect(response.status).toBe(200);
      // The contract is 40; the page reads the state (1) and the alerts overview (3), whatever the period.
      expect(counted.reads()).toBeLessThanOrEqual(40);
      expect(counted.reads()).toBeLessThanOrEqual(5);
      expect(counted.writes()).toBe(0);
      const html = await response.text();
      const wide = /<svg class="chart wide" data-chart="bandwidth"[\s\S]*?<\/svg>/.exec(html)![0];
      const line = /<polyline class="line" points="([^"]+)"/.exec(wide)![1]!;
      expect(line.split(' ').length).toBeGreaterThanOrEqual(31);
      const yTicks = [...wide.matchAll(/<text class="axis" x="40" [^>]*>(\d+%)<\/text>/g)].map((m) => m[1]);
      expect(yTicks).toEqual(['0%', '25%', '50%', '75%', '100%']);
      expect(wide).toMatch(/<title id="bandwidth-wide-title">Bandwidth used this billing period/);
      expect(wide).toMatch(/<desc id="bandwidth-wide-desc">Bandwidth over the billing period/);
      expect(html).toContain('data-chart="bandwidth" data-layout="narrow"');
      expect(html).toMatch(/<table data-list="period-days">/);
    },
    SLOW_TEST_TIMEOUT_MS,
  );
});

describe('dashboard sessions end on the server', () => {
  it('revokes the session at logout: a copy of the cookie no longer signs in', async () => {
    const cookie = sessionCookie(await login());
    expect((await request('/', { headers: { Cookie: cookie } })).status).toBe(200);
    const logout = await request('/logout', { method: 'POST', headers: { Cookie: cookie } });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('Set-Cookie')).toMatch(/^__Host-wsops_session=;/);
    // The copied cookie, sent as if the browser had kept it.
    const copied = await request('/', { headers: { Cookie: cookie } });
    expect(copied.status).toBe(303);
    expect(copied.headers.get('Location')).toBe('/login');
  });

  it('keeps other sessions signed in when one logs out', async () => {
    const first = sessionCookie(await login());
    const second = sessionCookie(await login());
    await request('/logout', { method: 'POST', headers: { Cookie: first } });
    expect((await request('/', { headers: { Cookie: second } })).status).toBe(200);
  });
});

describe('the login throttle', () => {
  /** A client address no other test uses: the throttle's Durable Objects outlive each test. */
  function newClientIp(): string {
    const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
    return `10.${a}.${b}.${c}`;
  }

  function loginFrom(ip: string, token: string) {
    return request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': ip },
      body: new URLSearchParams({ token }).toString(),
    });
  }

  it('answers 429 with Retry-After after 5 failed logins from one address in 5 minutes', async () => {
    const ip = newClientIp();
    for (let i = 0; i < 5; i++) expect((await loginFrom(ip, `wrong-token-${i}`)).status).toBe(401);
    const refused = await loginFrom(ip, TOKEN);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(refused.headers.get('Set-Cookie')).toBeNull();
    expect(await refused.text()).toContain('Too many failed logins');
    // Another address is not affected.
    expect((await loginFrom(newClientIp(), TOKEN)).status).toBe(303);
  });

  it('checks at most 5 tokens when 12 guesses arrive at once', async () => {
    const ip = newClientIp();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => loginFrom(ip, `wrong-token-${i}`)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('counts an IPv6 client by its /64', async () => {
    const prefix = `2001:db8:${crypto.getRandomValues(new Uint16Array(1))[0]!.toString(16)}:1`;
    for (let i = 1; i <= 5; i++) await loginFrom(`${prefix}::${i}`, 'wrong-token');
    expect((await loginFrom(`${prefix}:0:0:0:99`, TOKEN)).status).toBe(429);
  });

  it('clears earlier typos once the right token is given', async () => {
    const ip = newClientIp();
    for (let i = 0; i < 4; i++) await loginFrom(ip, 'wrong-token');
    expect((await loginFrom(ip, TOKEN)).status).toBe(303);
    for (let i = 0; i < 4; i++) expect((await loginFrom(ip, 'wrong-token')).status).toBe(401);
  });
});
