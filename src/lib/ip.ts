/** IP address and CIDR validation (Webshare replacements take an IP or a CIDR; bare IP means /32). */

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIPv6(text: string): boolean {
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Normalises an IP or CIDR to CIDR form ("10.0.0.1" → "10.0.0.1/32"); null when it is neither.
 */
export function toCidr(text: string): string | null {
  const trimmed = text.trim();
  const [address, prefix, ...rest] = trimmed.split('/');
  if (address === undefined || rest.length > 0) return null;
  const v4 = isIPv4(address);
  const v6 = !v4 && isIPv6(address);
  if (!v4 && !v6) return null;
  const maxPrefix = v4 ? 32 : 128;
  if (prefix === undefined) return `${address}/${maxPrefix}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > maxPrefix) return null;
  return `${address}/${Number(prefix)}`;
}

/**
 * One spelling per address, so `2001:DB8::0:1` and `2001:db8::1` are one entry of a set: IPv4 as
 * given (the pattern already refuses leading zeros), IPv6 compressed and lower-case as the URL
 * parser writes it. Null for anything that is not a single address (a CIDR range included).
 */
export function canonicalIp(text: string): string | null {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) return trimmed;
  if (!isIPv6(trimmed)) return null;
  return new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
}

/**
 * The address a per-client limit counts against: an IPv4 address as is, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64, so counting single addresses would be no limit at all),
 * anything else as one shared "unknown" client.
 */
export function clientKey(ip: string | undefined): string {
  const text = (ip ?? '').trim();
  if (isIPv4(text)) return text;
  if (!isIPv6(text) || text.includes('.')) return 'unknown';
  const [head = '', tail = ''] = text.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const zeros = text.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
