/**
 * The simulator quirks that contradict an assumption of the worker's (sim/options.ts SIM_QUIRKS),
 * seen on the wire: what `npm run sim -- --quirk NAME` serves and the doctor names.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

type Page = { count: number; results: { valid: boolean }[] };

describe('the simulator quirks', () => {
  it('page-size-capped serves at most 25 of the 100 a v2 list page asks for', async () => {
    const sim = createSimulator({ apiVersion: 'v2', quirks: ['page-size-capped'] });
    const page = (await call(sim, '/api/v2/proxy/list/?mode=direct&page_size=100')).body as Page;
    expect(page).toMatchObject({ count: 100 });
    expect(page.results).toHaveLength(25);
  });

  it('no-valid-filter lists valid proxies when asked for valid=false', async () => {
    const sim = createSimulator({ apiVersion: 'v2', quirks: ['no-valid-filter'] });
    sim.control.invalidate(2);
    const page = (await call(sim, '/api/v2/proxy/list/?mode=direct&valid=false&page_size=100')).body as Page;
    expect(page.count).toBe(100);
    expect(page.results.filter((p) => p.valid)).toHaveLength(98);
  });

  it('v2-forbidden answers 403 on v2 and v3 paths while v1 answers', async () => {
    const sim = createSimulator({ apiVersion: 'v1', quirks: ['v2-forbidden'] });
    expect((await call(sim, '/api/v2/subscription/')).status).toBe(403);
    expect((await call(sim, '/api/v3/proxy/config?plan_id=1')).status).toBe(403);
    expect((await call(sim, '/api/subscription/')).status).toBe(200);
  });

  it('refuses an unknown quirk, naming the known ones', () => {
    expect(() => createSimulator({ quirks: ['gb-is-gib' as never] })).toThrow(
      /known: ignore-x-subuser, page-size-capped/,
    );
  });
});
