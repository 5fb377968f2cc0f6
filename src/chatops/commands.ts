/**
 * The chat-ops command language, shared by Slack (`/webshare <text>`) and Discord (subcommands turned
 * into the same words): words in → a typed command, or a usage error naming what is wrong. Pure.
 */
import { canonicalIp, toCidr } from '../lib/ip';

import { literal } from '../lib/markup';
import { SUBUSER_LABEL_MAX_LENGTH } from '../webshare/types';

/** A silence longer than a month is a disabled alert; say so by refusing it. */
export const SILENCE_MAX_MS = 30 * 86_400_000;
export const SILENCE_MIN_MS = 60_000;
/** Generous upper bounds that still catch a typo such as an extra zero or two. */
export const SUBUSER_LIMIT_MAX_GB = 1_000_000;
export const SUBUSER_THREADS_MAX = 100_000;
const ALERT_KEY = /^[a-z0-9_.:-]{1,64}\*?$/i;

export type Command =
  | { kind: 'help' }
  | { kind: 'status' }
  | { kind: 'usage'; target: { id: number } | { label: string } }
  | { kind: 'refresh'; confirmed: boolean }
  | { kind: 'replace'; target: string }
  | { kind: 'subusers' }
  | { kind: 'subuser_create'; label: string; limitGb: number; threads: number | undefined }
  | { kind: 'subuser_delete'; id: number; confirmed: boolean }
  | { kind: 'alerts' }
  | { kind: 'silence'; alert: string; durationMs: number; duration: string }
  | { kind: 'authorize_ip'; action: 'add' | 'remove'; ip: string; confirmed: boolean }
  | { kind: 'reset_password'; confirmed: boolean };

export type CommandKind = Command['kind'];

/** One usage line per command, in the order `help` lists them. */
export const USAGE: Record<CommandKind, string> = {
  status: 'status — bandwidth, projection, invalid proxies, quotas and firing alerts',
  usage: 'usage <subuser-id|label> — one sub-user’s bandwidth and requests',
  refresh: 'refresh — refresh the whole proxy list (uses an on-demand refresh; asks to confirm)',
  replace: 'replace <ip> — replace one proxy (or every proxy in a CIDR range)',
  subusers: 'subusers — every sub-user with its usage',
  subuser_create: 'subuser create <label> <limit-GB> [threads] — 0 GB means unlimited',
  subuser_delete: 'subuser delete <id> — delete a sub-user (asks to confirm)',
  alerts: 'alerts — firing and pending alerts, and active silences',
  silence: 'silence <alert> <duration> — mute an alert key (e.g. bandwidth, subuser:42) for 30m, 2h, 1d…',
  authorize_ip:
    'authorize-ip add|remove <ip> — let one IP use the proxies without a password, or stop it (asks to confirm)',
  reset_password: 'reset-password — set a new proxy password; it is never posted in chat (asks to confirm)',
  help: 'help — this list',
};

/** Commands that change the account or the alerting: allow-listed users only. */
export const MUTATING: ReadonlySet<CommandKind> = new Set([
  'refresh',
  'replace',
  'subuser_create',
  'subuser_delete',
  'silence',
  'authorize_ip',
  'reset_password',
]);

export type ParseResult =
  { ok: true; command: Command; inChannel: boolean } | { ok: false; error: string; usage: string[] };

/** Flags that may appear anywhere: post the answer to the channel instead of only to the caller. */
const IN_CHANNEL_WORDS = new Set(['in_channel', '--in-channel', 'public']);

/** Splits `/webshare …` text into words; Slack escapes &, < and > in command text. */
export function tokenize(text: string): string[] {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
}

export function parseText(text: string): ParseResult {
  return parseWords(tokenize(text));
}

/**
 * Parses words. Discord options arrive as words already (a label may contain spaces) with
 * `in_channel` as its own option: pass it as `inChannel` and the words are taken as they are.
 */
export function parseWords(input: readonly string[], explicitInChannel?: boolean): ParseResult {
  const isFlag = (word: string) =>
    explicitInChannel === undefined && IN_CHANNEL_WORDS.has(word.toLowerCase());
  const inChannel = explicitInChannel ?? input.some(isFlag);
  const words = input.filter((word) => !isFlag(word));
  const parsed = parseCommand(words);
  return 'error' in parsed ? parsed : { ok: true, command: parsed, inChannel };
}

type Failure = { ok: false; error: string; usage: string[] };

const fail = (error: string, ...kinds: CommandKind[]): Failure => ({
  ok: false,
  error,
  usage: kinds.map((kind) => USAGE[kind]),
});

function parseCommand(words: string[]): Command | Failure {
  const [head, ...args] = words;
  const name = head?.toLowerCase();
  switch (name) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'status':
    case 'subusers':
    case 'alerts':
      return args.length === 0 ? { kind: name } : fail(`\`${name}\` takes no arguments.`, name);
    case 'usage':
      return parseUsage(args);
    case 'refresh':
      return parseConfirmOnly(args, 'refresh');
    case 'replace':
      return parseReplace(args);
    case 'subuser':
      return parseSubuser(args);
    case 'silence':
      return parseSilence(args);
    case 'authorize-ip':
      return parseAuthorizeIp(args);
    case 'reset-password':
      return parseConfirmOnly(args, 'reset_password');
    default:
      return fail(
        `Unknown command ${literal(truncate(head ?? '', 32))}.`,
        ...(Object.keys(USAGE) as CommandKind[]),
      );
  }
}

function parseUsage(args: string[]): Command | Failure {
  const target = args.join(' ');
  if (target === '') return fail('`usage` needs a sub-user id or label.', 'usage');
  const id = parseId(target);
  if (id !== null) return { kind: 'usage', target: { id } };
  if (target.length > SUBUSER_LABEL_MAX_LENGTH)
    return fail(`A label has at most ${SUBUSER_LABEL_MAX_LENGTH} characters.`, 'usage');
  return { kind: 'usage', target: { label: target } };
}

function parseConfirmOnly(args: string[], kind: 'refresh' | 'reset_password'): Command | Failure {
  if (args.length === 0) return { kind, confirmed: false };
  if (args.length === 1 && args[0]?.toLowerCase() === 'confirm') return { kind, confirmed: true };
  return fail(`\`${kind.replace('_', '-')}\` takes only the word \`confirm\`.`, kind);
}

/** `authorize-ip add|remove <ip> [confirm]`: one address, as the admin API accepts (no CIDR). */
function parseAuthorizeIp(args: string[]): Command | Failure {
  const [actionText, ipText, confirm, ...extra] = args;
  const action = actionText?.toLowerCase();
  if (action !== 'add' && action !== 'remove') {
    return fail('`authorize-ip` needs `add` or `remove`, then an IP address.', 'authorize_ip');
  }
  if (ipText === undefined) return fail(`\`authorize-ip ${action}\` needs an IP address.`, 'authorize_ip');
  const ip = canonicalIp(ipText);
  if (ip === null) {
    const why = ipText.includes('/')
      ? 'CIDR ranges are not accepted: Webshare authorises single addresses.'
      : 'expected an IPv4 or IPv6 address.';
    return fail(`\`${truncate(ipText, 64)}\` is not an IP address: ${why}`, 'authorize_ip');
  }
  if (extra.length > 0 || (confirm !== undefined && confirm.toLowerCase() !== 'confirm')) {
    return fail(
      '`authorize-ip add|remove <ip>` takes only the word `confirm` after the address.',
      'authorize_ip',
    );
  }
  return { kind: 'authorize_ip', action, ip, confirmed: confirm !== undefined };
}

function parseReplace(args: string[]): Command | Failure {
  if (args.length !== 1) return fail('`replace` needs exactly one IP address.', 'replace');
  const target = toCidr(args[0] ?? '');
  if (target === null)
    return fail(`${literal(truncate(args[0] ?? '', 64))} is not an IP address or CIDR range.`, 'replace');
  return { kind: 'replace', target: args[0]!.trim() };
}

function parseSubuser(args: string[]): Command | Failure {
  const [action, ...rest] = args;
  switch (action?.toLowerCase()) {
    case 'create': {
      if (rest.length < 2 || rest.length > 3) {
        return fail(
          '`subuser create` needs a label and a limit in GB, and optionally threads.',
          'subuser_create',
        );
      }
      const [label, limitText, threadsText] = rest as [string, string, string | undefined];
      if (label.length > SUBUSER_LABEL_MAX_LENGTH) {
        return fail(`A label has at most ${SUBUSER_LABEL_MAX_LENGTH} characters.`, 'subuser_create');
      }
      const limitGb = Number(limitText.replace(/gb$/i, ''));
      if (!/^\d+(\.\d+)?(gb)?$/i.test(limitText) || limitGb > SUBUSER_LIMIT_MAX_GB) {
        return fail(
          `The limit must be a number of GB from 0 (unlimited) to ${SUBUSER_LIMIT_MAX_GB}.`,
          'subuser_create',
        );
      }
      let threads: number | undefined;
      if (threadsText !== undefined) {
        threads = Number(threadsText);
        if (!/^\d+$/.test(threadsText) || threads < 1 || threads > SUBUSER_THREADS_MAX) {
          return fail(`Threads must be a whole number from 1 to ${SUBUSER_THREADS_MAX}.`, 'subuser_create');
        }
      }
      return { kind: 'subuser_create', label, limitGb, threads };
    }
    case 'delete': {
      const [idText, confirm, ...extra] = rest;
      const id = idText === undefined ? null : parseId(idText);
      if (id === null) return fail('`subuser delete` needs a sub-user id (a number).', 'subuser_delete');
      if (extra.length > 0 || (confirm !== undefined && confirm.toLowerCase() !== 'confirm')) {
        return fail('`subuser delete <id>` takes only the word `confirm` after the id.', 'subuser_delete');
      }
      return { kind: 'subuser_delete', id, confirmed: confirm !== undefined };
    }
    default:
      return fail('`subuser` needs `create` or `delete`.', 'subuser_create', 'subuser_delete');
  }
}

function parseSilence(args: string[]): Command | Failure {
  if (args.length !== 2) return fail('`silence` needs an alert key and a duration.', 'silence');
  const [alert, duration] = args as [string, string];
  if (!ALERT_KEY.test(alert)) {
    return fail(`${literal(truncate(alert, 64))} is not an alert key (see \`alerts\`).`, 'silence');
  }
  const durationMs = parseDuration(duration);
  if (durationMs === null) {
    return fail('A duration is a number and m, h or d, between 1m and 30d (e.g. 30m, 2h, 1d).', 'silence');
  }
  return { kind: 'silence', alert, durationMs, duration: duration.toLowerCase() };
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `2h`, `1d` → ms; null when malformed or outside 1 minute..30 days. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([mhd])$/i.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!;
  return ms >= SILENCE_MIN_MS && ms <= SILENCE_MAX_MS ? ms : null;
}

function parseId(text: string): number | null {
  if (!/^\d{1,15}$/.test(text)) return null;
  const id = Number(text);
  return id > 0 ? id : null;
}

/** User text echoed back is bounded, so an error message cannot be used to post a wall of text. */
function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
