/**
 * A sub-user's proxy list, derived from the main list: the whole list when it has no custom list
 * (proxy_countries null), else N proxies per country (ZZ = any country), starting at an offset that
 * each refresh moves so the list changes.
 */
import { arraySelection, type Selection } from './proxies';
import type { SimState, SimSubUser } from './state';

/** A prime stride, so successive refreshes walk the whole country pool. */
const REFRESH_STRIDE = 7919;

export function subUserSelection(state: SimState, subUser: SimSubUser, countries?: string[]): Selection {
  const proxies = state.proxies;
  if (subUser.proxy_countries === null) return proxies.select(countries);
  const wanted =
    countries && countries.length > 0 ? new Set(countries.map((c) => c.toUpperCase())) : undefined;
  const chosen = new Set<number>();
  const order: number[] = [];
  for (const [code, requested] of Object.entries(subUser.proxy_countries)) {
    const pool = code === 'ZZ' ? proxies.select() : proxies.select([code]);
    const take = Math.min(requested, pool.length);
    const start = pool.length === 0 ? 0 : (subUser.listOffset * REFRESH_STRIDE) % pool.length;
    for (let k = 0, taken = 0; k < pool.length && taken < take; k++) {
      const index = pool.at((start + k) % pool.length);
      if (chosen.has(index)) continue;
      chosen.add(index);
      taken++;
      if (!wanted || wanted.has(proxies.countryCode(index))) order.push(index);
    }
  }
  return arraySelection(order);
}
