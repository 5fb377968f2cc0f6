import { describe, expect, it } from 'vitest';
import { call, callWithEnv, useSimulator } from './helpers';

describe('account reads', () => {
  const sim = useSimulator();

  it('returns the subscription from Webshare, normalised', async () => {
    // v1's own values (its plan's proxy_type); v2's subscription: the contract suite (getSubscription).
    sim().control.setQuotas({ ondemandAvailable: 3, ondemandTotal: 5, ondemandUsed: 2 });
    const response = await callWithEnv('/v1/subscription', { WEBSHARE_API_VERSION: 'v1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.proxy_type).toBe('cloud');
    expect(body.proxy_count).toBe(100);
    expect(body.ondemand_refreshes_total).toBe(5);
    expect(response.headers.get('X-Request-Id')).toBeTruthy();
  });

  it('returns the proxy config with its password (the caller asked for the credential)', async () => {
    const response = await call('/v1/proxy-config');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.username).toBe(sim().state.config.username);
    expect(body.password).toBe(sim().state.config.password);
  });

  it('returns the replacement quotas', async () => {
    sim().control.setQuotas({ ondemandAvailable: 4, replacementsAvailable: 7 });
    const response = await call('/v1/replacement-info');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.ondemand_refreshes_available).toBe(4);
    expect(body.proxy_replacements_available).toBe(7);
  });
});
