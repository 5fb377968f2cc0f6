/**
 * The simulator's address pool: every proxy address ever handed out comes from one sequence, so
 * addresses are unique without bookkeeping. The documentation ranges (RFC 5737) come first, then the
 * shared address space 100.64.0.0/10 (RFC 6598), which holds millions — enough for 100,000-proxy
 * accounts refreshed many times.
 */

const HOSTS_PER_24 = 254; // .1 to .254: skip network and broadcast addresses, as a provider would
const DOC_BLOCKS = [
  [203, 0, 113],
  [198, 51, 100],
  [192, 0, 2],
] as const;
const SHARED_BASE = (100 << 24) | (64 << 16); // 100.64.0.0
const SHARED_BLOCKS = 1 << 14; // 100.64.0.0/10 holds 2^14 /24 blocks

/** The n-th address of the pool (n ≥ 0) as dotted IPv4. */
export function poolAddress(n: number): string {
  const block = Math.floor(n / HOSTS_PER_24);
  const host = (n % HOSTS_PER_24) + 1;
  const doc = DOC_BLOCKS[block];
  if (doc) return `${doc[0]}.${doc[1]}.${doc[2]}.${host}`;
  const shared = block - DOC_BLOCKS.length;
  if (shared >= SHARED_BLOCKS) throw new RangeError('the simulator address pool is exhausted');
  return intToIp(SHARED_BASE + shared * 256 + host);
}

export function intToIp(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function ipToInt(ip: string): number | null {
  if (!IPV4.test(ip)) return null;
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

export interface ParsedRange {
  /** Normalised CIDR text, e.g. "203.0.113.7/32". */
  cidr: string;
  /** IPv4 ranges only; IPv6 ranges are valid input but match no simulated proxy. */
  matches(ip: string): boolean;
}

/** Parses an IP (meaning /32 or /128) or a CIDR range; null when it is neither. */
export function parseRange(text: string): ParsedRange | null {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (address === undefined || rest.length > 0 || !isIpAddress(address)) return null;
  const v4 = ipToInt(address);
  const maxPrefix = v4 === null ? 128 : 32;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) return null;
  const cidr = `${address}/${prefix}`;
  if (v4 === null) return { cidr, matches: () => false };
  const size = 2 ** (32 - prefix);
  const start = Math.floor(v4 / size) * size;
  return {
    cidr,
    matches(ip) {
      const value = ipToInt(ip);
      return value !== null && value >= start && value < start + size;
    },
  };
}
