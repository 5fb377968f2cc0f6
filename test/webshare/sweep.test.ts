import { describe, expect, it } from 'vitest';
import { pack, unpack } from '../../src/model/packed-list';
import { noStreaks } from '../../src/model/poller-state';
import { MAX_TRACKED_INVALID, countInvalid, finishSweep, startAccumulator } from '../../src/webshare/sweep';

const STARTED = '2026-12-01T00:00:00.000Z';
const FINISHED = '2026-12-01T01:00:00.000Z';

function invalidProxy(proxy_address: string, country_code: string | null = 'US') {
  return { proxy_address, country_code, valid: false };
}

describe('the sweep bookkeeping', () => {
  it('tracks each invalid address with its country in the packed lists, a missing country as a placeholder', () => {
    const acc = startAccumulator(STARTED);
    const cell = { total: 0, invalid: 0 };
    countInvalid(acc, cell, invalidProxy('10.0.0.1', 'DE'));
    countInvalid(acc, cell, invalidProxy('10.0.0.2', null));
    expect(acc).toMatchObject({ invalid: 2, tracked: 2 });
    expect(unpack(acc.tracked_addresses)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(unpack(acc.tracked_countries)).toEqual(['DE', '-']);
    const { result } = finishSweep(acc, noStreaks(), FINISHED);
    expect(result.invalid_proxies.map((p) => p.country_code)).toEqual(['DE', null]);
  });

  it('counts but does not track an address the packed list cannot hold, nor any beyond the cap', () => {
    const acc = startAccumulator(STARTED);
    const cell = { total: 0, invalid: 0 };
    countInvalid(acc, cell, invalidProxy('10.0.0.1 bad'));
    expect(acc).toMatchObject({ invalid: 1, tracked: 0, tracked_addresses: '' });
    acc.tracked = MAX_TRACKED_INVALID;
    countInvalid(acc, cell, invalidProxy('10.0.0.2'));
    expect(acc).toMatchObject({ invalid: 2, tracked: MAX_TRACKED_INVALID, tracked_addresses: '' });
    expect(cell.invalid).toBe(2);
  });

  it('lists an address tracked twice once when the sweep finishes, with its first country and one more sweep', () => {
    const acc = startAccumulator(STARTED);
    const cell = { total: 0, invalid: 0 };
    countInvalid(acc, cell, invalidProxy('10.0.0.1', 'DE'));
    countInvalid(acc, cell, invalidProxy('10.0.0.2', 'FR'));
    countInvalid(acc, cell, invalidProxy('10.0.0.1', 'NL'));
    const previous = { size: 1, addresses: pack(['10.0.0.1']), counts: pack([3]) };
    const { result, streaks } = finishSweep(acc, previous, FINISHED);
    expect(result.invalid_proxies).toEqual([
      { proxy_address: '10.0.0.1', country_code: 'DE', consecutive_sweeps: 4 },
      { proxy_address: '10.0.0.2', country_code: 'FR', consecutive_sweeps: 1 },
    ]);
    expect(streaks).toEqual({ size: 2, addresses: '10.0.0.1 10.0.0.2', counts: '4 1' });
  });
});
