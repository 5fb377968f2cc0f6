/**
 * Bandwidth and request counters over scenario time: advance() makes them grow at the configured
 * rates, and the projection extrapolates usage so far to the end of the period.
 */
import { GIB_BYTES } from './options';
import { clockMs, distribute, type RequestCounters, type SimState, type SimSubUser } from './state';

const HOUR_SECONDS = 3600;

/** Bytes used by the end of [start, end] at the average rate since start. */
export function projectBytes(usedBytes: number, startIso: string, endIso: string, nowMs: number): number {
  const start = Date.parse(startIso);
  const elapsed = nowMs - start;
  const period = Date.parse(endIso) - start;
  if (elapsed <= 0 || period <= 0) return usedBytes;
  return Math.round((usedBytes * Math.max(period, elapsed)) / elapsed);
}

/** proxy_limit is documented "in GBs"; the simulator reads GB as GiB, like the doc's 50 GiB example limit. */
export function subUserLimitBytes(subUser: SimSubUser): number {
  return Math.round(subUser.proxy_limit * GIB_BYTES);
}

/** Moves the scenario clock on by `seconds`, growing every counter on the way. */
export function advance(state: SimState, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advance() takes seconds ≥ 0');
  state.advancedMs += seconds * 1000;
  const now = clockMs(state);
  const nowIso = new Date(now).toISOString();
  const hours = seconds / HOUR_SECONDS;
  const g = state.growth;

  let subUserBytes = 0;
  for (const subUser of state.subUsers.values()) {
    const limit = subUserLimitBytes(subUser);
    const before = subUser.proxy_usage;
    const grown = before + Math.round(g.subUserBytesPerHour * hours);
    subUser.proxy_usage = limit > 0 ? Math.max(before, Math.min(grown, limit)) : grown;
    if (subUser.proxy_usage > before) {
      subUserBytes += subUser.proxy_usage - before;
      subUser.last_use = nowIso;
      const share = Math.round(
        (g.requestsPerHour * hours * g.subUserBytesPerHour) / Math.max(1, g.bytesPerHour),
      );
      countRequests(state, subUser.requests, share, nowIso);
    }
  }

  const b = state.bandwidth;
  const grown = b.usedBytes + Math.round(g.bytesPerHour * hours) + subUserBytes;
  b.usedBytes = b.limitBytes > 0 ? Math.max(b.usedBytes, Math.min(grown, b.limitBytes)) : grown;
  countRequests(state, state.requests, Math.round(g.requestsPerHour * hours), nowIso);
  rollPeriod(state, now);
  rollSubUserPeriods(state, now);
  autoRefresh(state, now);
}

function countRequests(state: SimState, counters: RequestCounters, count: number, nowIso: string): void {
  if (count <= 0) return;
  const failed = Math.round(count * state.growth.failureRatio);
  counters.total += count;
  counters.failed += failed;
  counters.lastRequestAt = nowIso;
  for (const [code, n] of Object.entries(distribute(count, state.proxies.countsByCountry()))) {
    counters.countries[code] = (counters.countries[code] ?? 0) + n;
  }
  if (failed === 0) return;
  // Failures are reported in the spelling the stats endpoint uses, so their sum matches requests_failed.
  if (state.options.statsSpelling === 'example') {
    counters.failureStatusCodes['502'] = (counters.failureStatusCodes['502'] ?? 0) + failed;
  } else {
    counters.errorReasons.connection_error = (counters.errorReasons.connection_error ?? 0) + failed;
  }
}

/** At the end of the period the bandwidth and the monthly quotas reset, as Webshare's table says. */
function rollPeriod(state: SimState, nowMs: number): void {
  const s = state.subscription;
  while (Date.parse(s.end_date) <= nowMs) {
    const start = Date.parse(s.end_date);
    const length = start - Date.parse(s.start_date);
    s.start_date = s.end_date;
    s.end_date = new Date(start + Math.max(length, 86_400_000)).toISOString();
    s.renewals_paid++;
    state.bandwidth.usedBytes = 0;
    state.bandwidth.projectedBytes = null;
    state.quotas.ondemandUsed = 0;
    state.quotas.replacementsUsed = 0;
  }
}

/** A sub-user's usage resets at its bandwidth_use_end_date; the next period is as long as the last. */
function rollSubUserPeriods(state: SimState, nowMs: number): void {
  for (const subUser of state.subUsers.values()) {
    while (Date.parse(subUser.bandwidth_use_end_date) <= nowMs) {
      const start = Date.parse(subUser.bandwidth_use_end_date);
      const length = Math.max(start - Date.parse(subUser.bandwidth_use_start_date), 86_400_000);
      subUser.bandwidth_use_start_date = subUser.bandwidth_use_end_date;
      subUser.bandwidth_use_end_date = new Date(start + length).toISOString();
      subUser.proxy_usage = 0;
    }
  }
}

/**
 * "Auto-refresh your proxy list every automatic_refresh_frequency seconds": when a refresh fell due
 * during the advance, the list gets new addresses (all of them, or automatic_refresh_percentage %).
 */
function autoRefresh(state: SimState, nowMs: number): void {
  const s = state.subscription;
  const frequencyMs = s.automatic_refresh_frequency * 1000;
  if (frequencyMs <= 0) return;
  const lastMs = s.automatic_refresh_last_at ? Date.parse(s.automatic_refresh_last_at) : nowMs;
  const due = Math.floor((nowMs - lastMs) / frequencyMs);
  if (due <= 0) {
    s.automatic_refresh_last_at ??= new Date(lastMs).toISOString();
    return;
  }
  const percentage = s.automatic_refresh_percentage > 0 ? s.automatic_refresh_percentage : 100;
  if (percentage >= 100) state.proxies.refreshAll();
  else {
    const count = Math.round((state.proxies.count * percentage) / 100);
    for (let i = 0; i < count; i++) state.proxies.replace(i);
  }
  s.automatic_refresh_last_at = new Date(lastMs + due * frequencyMs).toISOString();
}
