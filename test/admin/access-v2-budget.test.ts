/**
 * A v2 authorised-IP change within the Workers Free plan's 50 subrequests per request: v2 writes one
 * address per call, and every call also costs rate gate round trips; the change lock and the
 * announcement come on top. A change that cannot fit is refused before anything is written, so the
 * removals (done last) never run out half-way and leave old addresses authorised.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import { OUTSIDE_TICK_SUBREQUESTS } from '../../src/cycle/hand-over';
import { MAX_REFILL_SLOTS } from '../../src/webshare/rate-slots';
import {
  ACCESS_ANNOUNCEMENT_SUBREQUESTS,
  FREE_PLAN_SUBREQUESTS,
  V2_MAX_CHANGES_PER_REQUEST,
  v2ChangeSubrequests,
} from '../../src/webshare/access/budget';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { callWithEnv, errorOf } from './helpers';

const ENV = { WEBSHARE_API_VERSION: 'v2', SLACK_WEBHOOK_URL: 'https://slack.sink/hook' };
const addresses = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}.${i + 1}`);

let sim: Simulator;
beforeEach(() => {
  sim = createSimulator({ apiVersion: 'v2' });
  routeOutbound({ 'webshare.sim': sim.fetch, 'slack.sink': new RecordingSink().fetch });
});

const patch = (authorized_ips: string[]) =>
  callWithEnv('/v1/proxy-config', ENV, { method: 'PATCH', json: { authorized_ips } });
const writes = () => sim.requests.filter((r) => r.method !== 'GET');

describe('a v2 PATCH /v1/proxy-config and the 50 subrequests of a request', () => {
  it('refuses replacing 20 addresses with 20 others (40 writes) with 422, writing nothing', async () => {
    sim.state.config.authorized_ips = addresses('198.51.100', 20);
    const response = await patch(addresses('203.0.113', 20));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('too_many_authorized_ip_changes');
    expect(error.details).toEqual({ changes: 40, max: V2_MAX_CHANGES_PER_REQUEST });
    expect(writes()).toEqual([]);
    expect(sim.state.config.authorized_ips).toEqual(addresses('198.51.100', 20));
  });

  it('makes the largest change that fits in full, the removals included', async () => {
    const removed = Math.floor(V2_MAX_CHANGES_PER_REQUEST / 2);
    const added = V2_MAX_CHANGES_PER_REQUEST - removed;
    sim.state.config.authorized_ips = addresses('198.51.100', removed);
    const response = await patch(addresses('203.0.113', added));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      added: addresses('203.0.113', added),
      removed: addresses('198.51.100', removed),
    });
    expect(writes()).toHaveLength(V2_MAX_CHANGES_PER_REQUEST);
    expect([...sim.state.config.authorized_ips].sort()).toEqual(addresses('203.0.113', added).sort());
  });

  it('counts the gate round trips, the lock and the announcement, so the largest change fits', () => {
    expect(ACCESS_ANNOUNCEMENT_SUBREQUESTS).toBe(OUTSIDE_TICK_SUBREQUESTS + 1);
    expect(v2ChangeSubrequests(V2_MAX_CHANGES_PER_REQUEST)).toBeLessThanOrEqual(FREE_PLAN_SUBREQUESTS);
    expect(v2ChangeSubrequests(V2_MAX_CHANGES_PER_REQUEST + 1)).toBeGreaterThan(FREE_PLAN_SUBREQUESTS);
    // Each write beyond the first two shares a gate round trip with at most MAX_REFILL_SLOTS - 1 others.
    expect(v2ChangeSubrequests(40) - v2ChangeSubrequests(0)).toBe(40 + 1 + Math.ceil(38 / MAX_REFILL_SLOTS));
    expect(V2_MAX_CHANGES_PER_REQUEST).toBe(29);
  });
});
