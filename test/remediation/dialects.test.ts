/**
 * Auto-remediation on each dialect through the real tick. On v2 a replacement is asynchronous: the
 * tick that starts it records `started`, a later tick reads it completed and announces the new
 * address; refusals are classified by Webshare's `code`, not its wording.
 */
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/remediation/execute';
import { WebshareBadRequestError } from '../../src/webshare/errors';
import { remediationRig } from './helpers';

const LIVE = { enabled: true, replace_after_sweeps: 1, keep_replacements: 0 };

describe.each(['v1', 'v2'] as const)('auto-remediation on %s', (dialect) => {
  it('replaces a persistently invalid proxy and announces its new address', async () => {
    const rig = remediationRig(LIVE, { apiVersion: dialect }, { WEBSHARE_API_VERSION: dialect });
    const [address] = rig.sim.control.invalidate(1);
    await rig.tickAt(0);
    const first = await rig.latest();
    const entry = first.remediation?.entries.find((e) => e.target === address);
    expect(entry?.outcome).toBe(dialect === 'v1' ? 'replaced' : 'started');
    if (dialect === 'v2') {
      expect((await rig.state()).remediation?.in_flight).toEqual([
        expect.objectContaining({ address, origin: 'remediation' }),
      ]);
      await rig.tickAt(1);
      const done = (await rig.latest()).remediation?.entries.find((e) => e.target === address);
      expect(done?.outcome).toBe('replaced');
      expect((await rig.state()).remediation?.in_flight).toEqual([]);
    }
    const newAddress = rig.sim.state.replacements.at(-1)?.new_ip_address;
    expect(newAddress).toBeTruthy();
    expect(rig.notices().join('\n')).toContain(newAddress!);
    expect((await rig.state()).remediation?.recent[0]).toMatchObject({ address, new_address: newAddress });
    expect(rig.sim.state.quotas.replacementsUsed).toBe(1);
  });

  it('stops replacing when Webshare says no replacements are left', async () => {
    const rig = remediationRig(LIVE, { apiVersion: dialect }, { WEBSHARE_API_VERSION: dialect });
    rig.sim.control.invalidate(2);
    rig.sim.control.setQuotas({ replacementsAvailable: 0 });
    await rig.tickAt(0);
    const entries = (await rig.latest()).remediation?.entries ?? [];
    expect(entries.some((e) => e.outcome === 'replaced' || e.outcome === 'started')).toBe(false);
  });
});

describe('classifying a refusal', () => {
  const refusal = (body: { detail?: string; codes: string[] }) =>
    new WebshareBadRequestError('bad request', { method: 'POST', path: '/api/v3/proxy/replace/', ...body });

  it.each([
    ['active_replacement', { kind: 'deferred', reason: 'replacement_in_progress' }],
    ['not_enough_replacements_in_subscription', { kind: 'exhausted' }],
    ['no_proxies_to_be_replaced', { kind: 'gone' }],
    ['account_suspended', { kind: 'rejected' }],
    ['api_key_not_allowed', { kind: 'rejected' }],
  ])('goes by the code %s, whatever the wording', (code, verdict) => {
    expect(classifyError(refusal({ detail: 'Something in another language.', codes: [code] }))).toMatchObject(
      verdict,
    );
  });

  it('still reads v1 wording when there is no code', () => {
    expect(
      classifyError(refusal({ detail: 'You have no proxy replacements available.', codes: [] })),
    ).toMatchObject({
      kind: 'exhausted',
    });
  });
});
