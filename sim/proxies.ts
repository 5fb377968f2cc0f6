/**
 * The proxy list, generated lazily: a proxy is its index; its country comes from a seeded shuffle
 * (one byte per proxy), its address from the address pool, and everything else from a hash of the
 * seed and its address. Only the page being served is ever materialised, so 100,000 proxies are cheap.
 */
import { poolAddress } from './addresses';
import { hash32, seededRandom } from './random';

export interface SimProxy {
  username: string;
  password: string;
  proxy_address: string;
  ports: { http: number; socks5: number };
  valid: boolean;
  last_verification: string;
  country_code: string;
  country_code_confidence: number;
  city_name: string;
}

/** An ordered set of proxy indices that need not exist as an array. */
export interface Selection {
  readonly length: number;
  at(position: number): number;
}

const CITIES: Record<string, string[]> = {
  US: ['New York', 'Los Angeles', 'Chicago', 'Dallas', 'Ashburn', 'Seattle'],
  DE: ['Frankfurt', 'Berlin', 'Munich', 'Hamburg'],
  FR: ['Paris', 'Marseille', 'Lyon'],
  GB: ['London', 'Manchester', 'Edinburgh'],
  JP: ['Tokyo', 'Osaka'],
  NL: ['Amsterdam', 'Rotterdam'],
};
const PORT_BASE = 10_000;
const PORT_PAIRS = 20_000;
/** Webshare checks proxies "once every minute": a verification is at most 60 s old. */
const VERIFICATION_INTERVAL_SECONDS = 60;

export class ProxyTable {
  readonly #seed: number;
  readonly #codes: string[];
  readonly #shares: number[];
  #count = 0;
  #countryOf = new Uint8Array(0);
  /** Runs of consecutive indices that took consecutive pool addresses, ordered by `start`. */
  #segments: { start: number; poolStart: number }[] = [];
  #nextPool = 0;
  readonly #overrides = new Map<number, number>();
  readonly #invalid = new Set<number>();

  constructor(seed: number, shares: Record<string, number>, count: number) {
    this.#seed = seed;
    const entries = Object.entries(shares).filter(([, share]) => share > 0);
    if (entries.length === 0 || entries.length > 255) throw new RangeError('countries needs 1 to 255 shares');
    const total = entries.reduce((sum, [, share]) => sum + share, 0);
    this.#codes = entries.map(([code]) => code.toUpperCase());
    this.#shares = entries.map(([, share]) => share / total);
    this.resize(count);
  }

  get count(): number {
    return this.#count;
  }

  get countryCodes(): readonly string[] {
    return this.#codes;
  }

  /** Grows or shrinks the list; existing proxies keep their address and country. */
  resize(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('proxy count must be a whole number ≥ 0');
    const old = this.#count;
    if (count > old) {
      const countries = new Uint8Array(count);
      countries.set(this.#countryOf.subarray(0, old));
      countries.set(this.#newCountries(old, count), old);
      this.#countryOf = countries;
      this.#segments.push({ start: old, poolStart: this.#nextPool });
      this.#nextPool += count - old;
    } else {
      this.#countryOf = this.#countryOf.slice(0, count);
      for (const index of [...this.#overrides.keys()]) if (index >= count) this.#overrides.delete(index);
      for (const index of [...this.#invalid]) if (index >= count) this.#invalid.delete(index);
      this.#segments = this.#segments.filter((segment) => segment.start < count);
    }
    this.#count = count;
  }

  countryCode(index: number): string {
    return this.#codes[this.#countryOf[index] ?? 0] ?? 'ZZ';
  }

  address(index: number): string {
    return poolAddress(this.#poolIndex(index));
  }

  isValid(index: number): boolean {
    return !this.#invalid.has(index);
  }

  get invalidCount(): number {
    return this.#invalid.size;
  }

  /** The proxy at `index` as the list endpoint shows it, with the given credentials. */
  view(index: number, credentials: { username: string; password: string }, nowMs: number): SimProxy {
    const pool = this.#poolIndex(index);
    const h = hash32(this.#seed, pool);
    const code = this.countryCode(index);
    const cities = CITIES[code] ?? [`${code} City`];
    const port = PORT_BASE + 2 * (h % PORT_PAIRS);
    const ageSeconds = hash32(this.#seed, pool, 1) % VERIFICATION_INTERVAL_SECONDS;
    return {
      username: `${credentials.username}-${index + 1}`,
      password: credentials.password,
      proxy_address: poolAddress(pool),
      ports: { http: port, socks5: port + 1 },
      valid: this.isValid(index),
      last_verification: new Date(nowMs - ageSeconds * 1000).toISOString(),
      country_code: code,
      country_code_confidence: (80 + (hash32(this.#seed, pool, 2) % 21)) / 100,
      city_name: cities[hash32(this.#seed, pool, 3) % cities.length] as string,
    };
  }

  /** Proxy counts per country code. */
  countsByCountry(): Record<string, number> {
    const counts = new Array<number>(this.#codes.length).fill(0);
    for (const country of this.#countryOf) counts[country] = (counts[country] ?? 0) + 1;
    return Object.fromEntries(this.#codes.map((code, i) => [code, counts[i] ?? 0]).filter(([, n]) => n));
  }

  /** Every proxy, or only those in `countries`, in list order. */
  select(countries?: readonly string[]): Selection {
    if (!countries || countries.length === 0) return { length: this.#count, at: (position) => position };
    const wanted = new Set(countries.map((code) => this.#codes.indexOf(code.toUpperCase())));
    const indices: number[] = [];
    for (let i = 0; i < this.#count; i++) if (wanted.has(this.#countryOf[i] as number)) indices.push(i);
    return arraySelection(indices);
  }

  /** Indices whose address falls in the range. */
  matching(matches: (address: string) => boolean): number[] {
    const found: number[] = [];
    for (let i = 0; i < this.#count; i++) if (matches(this.address(i))) found.push(i);
    return found;
  }

  indexOfAddress(address: string): number | undefined {
    for (let i = 0; i < this.#count; i++) if (this.address(i) === address) return i;
    return undefined;
  }

  /** Gives one proxy a fresh address; it comes back valid. Returns the new address. */
  replace(index: number): string {
    this.#overrides.set(index, this.#nextPool++);
    this.#invalid.delete(index);
    return this.address(index);
  }

  /** Gives every proxy a fresh address, all valid (an on-demand refresh). */
  refreshAll(): void {
    this.#overrides.clear();
    this.#invalid.clear();
    this.#segments = [{ start: 0, poolStart: this.#nextPool }];
    this.#nextPool += this.#count;
  }

  setValid(index: number, valid: boolean): void {
    if (valid) this.#invalid.delete(index);
    else this.#invalid.add(index);
  }

  /** Indices, in list order, that satisfy the predicate. */
  filter(predicate: (index: number) => boolean): number[] {
    const found: number[] = [];
    for (let i = 0; i < this.#count; i++) if (predicate(i)) found.push(i);
    return found;
  }

  invalidIndices(): number[] {
    return [...this.#invalid].sort((a, b) => a - b);
  }

  #poolIndex(index: number): number {
    const override = this.#overrides.get(index);
    if (override !== undefined) return override;
    for (let s = this.#segments.length - 1; s >= 0; s--) {
      const segment = this.#segments[s] as { start: number; poolStart: number };
      if (segment.start <= index) return segment.poolStart + (index - segment.start);
    }
    throw new RangeError(`no proxy at index ${index}`);
  }

  /** Countries for indices [from, to): tops up each country toward its share, then shuffles. */
  #newCountries(from: number, to: number): Uint8Array {
    const existing = new Array<number>(this.#codes.length).fill(0);
    for (let i = 0; i < from; i++) existing[this.#countryOf[i] as number]! += 1;
    const exact = this.#shares.map((share) => share * to);
    const deficit = exact.map((target, c) => Math.max(0, Math.floor(target) - (existing[c] ?? 0)));
    let missing = to - from - deficit.reduce((sum, n) => sum + n, 0);
    // Largest remainder first, so the totals match the shares as closely as whole proxies allow.
    const order = exact
      .map((target, c) => [target - Math.floor(target), c] as const)
      .sort((a, b) => b[0] - a[0]);
    for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) {
      const c = (order[k] as readonly [number, number])[1];
      deficit[c] = (deficit[c] ?? 0) + 1;
    }
    while (missing < 0) {
      const c = deficit.findIndex((n) => n > 0);
      deficit[c] = (deficit[c] ?? 0) - 1;
      missing++;
    }
    const out = new Uint8Array(to - from);
    let at = 0;
    deficit.forEach((n, c) => out.fill(c, at, (at += n)));
    const random = seededRandom(hash32(this.#seed, from, to));
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = out[i] as number;
      out[i] = out[j] as number;
      out[j] = swap;
    }
    return out;
  }
}

export function arraySelection(indices: readonly number[]): Selection {
  return { length: indices.length, at: (position) => indices[position] as number };
}
