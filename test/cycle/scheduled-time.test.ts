/**
 * What time a cron tick runs at (src/scheduled.ts): its scheduledTime, or the real now when the
 * invocation comes late. The clock is set through the suite's clock (test/helpers/clock.ts).
 */
import { describe, expect, it } from 'vitest';
import { bucketKey } from '../../src/storage/poller-store';
import { setNow } from '../helpers/clock';
import { START_MS, pollerRig } from '../poller/helpers';

const HOUR_MS = 3_600_000;

describe('the time a cron tick runs at', () => {
  it('is its scheduledTime when the invocation is on time, even if the clock reads a little earlier', async () => {
    const rig = pollerRig();
    const scheduledTime = START_MS + HOUR_MS - 60_000; // xx:59
    setNow(scheduledTime - 250);
    await rig.tick(scheduledTime);

    const { state } = await rig.store().readState(scheduledTime);
    expect(state.last_scheduled_time).toBe(scheduledTime);
    expect(Date.parse(state.latest!.taken_at)).toBe(scheduledTime);
    expect(await rig.env.STATE.get(bucketKey(scheduledTime))).not.toBeNull();
  });

  it('is the real now when the invocation runs late: stored in the hour it ran, still for its scheduledTime', async () => {
    const rig = pollerRig();
    const scheduledTime = START_MS + HOUR_MS - 60_000; // xx:59, run at (xx+1):06
    const ranAt = scheduledTime + 7 * 60_000;
    setNow(ranAt);
    await rig.tick(scheduledTime);

    expect(await rig.env.STATE.get(bucketKey(scheduledTime))).toBeNull();
    const { state } = await rig.store().readState(ranAt);
    expect(state.last_scheduled_time).toBe(scheduledTime);
    expect(state.latest!.scheduled_time).toBe(scheduledTime);
    const takenAtMs = Date.parse(state.latest!.taken_at);
    expect(takenAtMs).toBeGreaterThanOrEqual(ranAt);
    expect(takenAtMs).toBeLessThan(ranAt + 60_000);

    // The next on-time invocation goes on from there; a late repeat of the same time does nothing.
    const before = rig.sim.requests.length;
    await rig.tick(scheduledTime);
    expect(rig.sim.requests.length).toBe(before);
    await rig.tick(scheduledTime + 10 * 60_000);
    expect((await rig.store().readState(scheduledTime + 10 * 60_000)).state.last_scheduled_time).toBe(
      scheduledTime + 10 * 60_000,
    );
  });
});
