/**
 * Every JSON example in docs/webshare-api-v1.txt, parsed through the schema for its object. The
 * document's examples disagree with its own tables (and with each other) on spellings; each must
 * still parse and come out normalised to one shape.
 */
import { describe, expect, it } from 'vitest';
import doc from '../../docs/webshare-api-v1.txt?raw';
import {
  ProfileSchema,
  ProxyConfigSchema,
  ProxyPageSchema,
  ProxySchema,
  ReplacementListSchema,
  ReplacementSchema,
} from '../../src/webshare/v1/schemas';
import {
  ProxyStatsReader,
  ReplacementInfoReader,
  SubUserPageReader,
  SubUserReader,
  SubscriptionReader,
} from '../../src/webshare/v1/readers';
import type { ResponseParser } from '../../src/webshare/transport';

interface Example {
  /** 1-based line of the opening brace in the document. */
  line: number;
  value: unknown;
}

/**
 * The examples are the blocks that open with a line holding only `{` or `[`. Documentation noise is
 * removed before parsing: `...` placeholder lines and trailing commas.
 */
function extractExamples(text: string): Example[] {
  const lines = text.split('\n');
  const examples: Example[] = [];
  for (let start = 0; start < lines.length; start++) {
    const opener = lines[start]?.trim();
    if (opener !== '{' && opener !== '[') continue;
    let depth = 0;
    let end = start;
    for (; end < lines.length; end++) {
      depth += bracketDelta(lines[end] as string);
      if (depth === 0) break;
    }
    const body = lines
      .slice(start, end + 1)
      .filter((line) => !/^\s*\.\.\.,?\s*$/.test(line))
      .join('\n')
      .replace(/,(\s*[}\]])/g, '$1');
    examples.push({ line: start + 1, value: JSON.parse(body) });
    start = end;
  }
  return examples;
}

/** Opening minus closing brackets outside string literals. */
function bracketDelta(line: string): number {
  let delta = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') delta++;
    else if (ch === '}' || ch === ']') delta--;
  }
  return delta;
}

type Kind =
  | 'profile'
  | 'subscription'
  | 'proxyConfig'
  | 'proxy'
  | 'proxyPage'
  | 'replacementInfo'
  | 'replacementList'
  | 'replacement'
  | 'stats'
  | 'subUser'
  | 'subUserPage';

/** What reads each object: a zod schema, or the reader a cron tick uses (v1/readers.ts). */
const SCHEMAS: Record<Kind, ResponseParser> = {
  profile: ProfileSchema,
  subscription: SubscriptionReader,
  proxyConfig: ProxyConfigSchema,
  proxy: ProxySchema,
  proxyPage: ProxyPageSchema,
  replacementInfo: ReplacementInfoReader,
  replacementList: ReplacementListSchema,
  replacement: ReplacementSchema,
  stats: ProxyStatsReader,
  subUser: SubUserReader,
  subUserPage: SubUserPageReader,
};

/** The parsed value, or the refused fields' paths as the error. */
function parseWith<T>(parser: ResponseParser<T>, value: unknown): T {
  const parsed = parser.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`refused at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
}

/** Which object an example shows, by the fields only that object has. */
function kindOf(value: unknown): Kind | undefined {
  if (Array.isArray(value)) return 'replacementList';
  const o = value as Record<string, unknown>;
  if ('results' in o) {
    const first = (o.results as Record<string, unknown>[])[0] ?? {};
    return 'proxy_address' in first ? 'proxyPage' : 'label' in first ? 'subUserPage' : undefined;
  }
  if ('email' in o) return 'profile';
  if ('proxy_type' in o) return 'subscription';
  if ('download_links' in o) return 'proxyConfig';
  if ('proxy_address' in o) return 'proxy';
  if ('automatic_refresh_percentage' in o) return 'replacementInfo';
  if ('new_ip_address' in o) return 'replacement';
  if ('bandwidth_used' in o) return 'stats';
  if ('proxy_username' in o) return 'subUser';
  return undefined;
}

const examples = extractExamples(doc).map((example) => ({ ...example, kind: kindOf(example.value) }));
const ofKind = (kind: Kind) => examples.filter((example) => example.kind === kind);
const parse = (kind: Kind, value: unknown) => parseWith(SCHEMAS[kind], value) as Record<string, unknown>;

describe('the JSON examples of docs/webshare-api-v1.txt', () => {
  it('are all found: 24 of them, every one a known object', () => {
    expect(examples.map((e) => e.kind)).not.toContain(undefined);
    const counts: Record<string, number> = {};
    for (const example of examples)
      counts[example.kind as string] = (counts[example.kind as string] ?? 0) + 1;
    expect(counts).toEqual({
      profile: 2,
      subscription: 2,
      proxyConfig: 4,
      proxy: 1,
      proxyPage: 1,
      replacementInfo: 3,
      replacementList: 1,
      replacement: 1,
      stats: 3,
      subUser: 5,
      subUserPage: 1,
    });
  });

  it.each(examples.map((e) => [e.line, e.kind as Kind, e.value] as const))(
    'parses the example at line %i as a %s',
    (_line, kind, value) => {
      const result = SCHEMAS[kind].safeParse(value);
      expect(result.success ? [] : result.error.issues).toEqual([]);
    },
  );
});

describe('normalisation of the documented spellings', () => {
  it('reads the subscription object example (table-like spelling)', () => {
    const [objectExample] = ofKind('subscription');
    expect(parse('subscription', objectExample?.value)).toMatchObject({
      automatic_refresh_frequency: 3600,
      ondemand_refreshes_total: 1,
      proxy_replacements_total: 1,
      countries: { US: 5, FR: 100 },
      bandwidth_limit: 268435456000,
    });
  });

  it('reads the subscription endpoint example (rotate_* and proxy_list_rotate_on_demand*)', () => {
    const endpointExample = ofKind('subscription')[1];
    expect(parse('subscription', endpointExample?.value)).toMatchObject({
      automatic_refresh_frequency: 3600,
      automatic_refresh_percentage: 100,
      automatic_refresh_last_at: '2019-05-09T23:34:00.095501-07:00',
      automatic_refresh_next_at: '2019-05-10T23:34:00.095501-07:00',
      ondemand_refreshes_total: 1,
      ondemand_refreshes_used: 1,
      ondemand_refreshes_available: 0,
    });
  });

  it('reads requests_countries from both spellings and folds failure status codes into reasons', () => {
    const [objectExample, endpointExample, masqueradeExample] = ofKind('stats');
    const fromTable = parse('stats', objectExample?.value);
    expect(fromTable).toMatchObject({
      requests_countries: { US: 4000, FR: 500, GB: 500 },
      requests_error_reasons: { no_proxies_allocated: 1 },
      last_request_at: '2019-06-09T23:34:00.095501-07:00',
      bandwidth_remaining: 48318382080,
      bandwidth_projected: 59055800320,
    });
    for (const example of [endpointExample, masqueradeExample]) {
      expect(parse('stats', example?.value)).toMatchObject({
        requests_countries: { US: 4000, FR: 500, GB: 500 },
        requests_error_reasons: { http_502: 1 },
        requests_successful: 4999,
        requests_failed: 1,
        last_request_at: null,
      });
    }
  });

  it('reads replacement info in the ondemand_* spelling', () => {
    for (const example of ofKind('replacementInfo')) {
      expect(parse('replacementInfo', example.value)).toEqual({
        automatic_refresh_frequency: 3600,
        automatic_refresh_percentage: 100,
        automatic_refresh_last_at: '2019-05-09T23:34:00.095501-07:00',
        automatic_refresh_next_at: '2019-05-10T23:34:00.095501-07:00',
        ondemand_refreshes_total: 1,
        ondemand_refreshes_used: 1,
        ondemand_refreshes_available: 0,
        proxy_replacements_total: 1,
        proxy_replacements_used: 1,
        proxy_replacements_available: 0,
      });
    }
  });

  it('reads replacements as CIDR ranges', () => {
    const list = ReplacementListSchema.parse(ofKind('replacementList')[0]?.value);
    expect(list).toEqual([
      {
        ip_address: '10.100.50.2/32',
        new_ip_address: '5.4.3.2',
        created_at: '2019-06-09T23:34:00.095501-07:00',
      },
    ]);
    expect(parse('replacement', ofKind('replacement')[0]?.value)).toMatchObject({
      ip_address: '10.100.50.2/32',
    });
  });

  it('reads proxies and their page', () => {
    const page = ProxyPageSchema.parse(ofKind('proxyPage')[0]?.value);
    expect(page.count).toBe(1000);
    expect(page.next).toBe('https://proxy.webshare.io/api/proxy/list/?page=2');
    expect(page.results[0]).toMatchObject({
      proxy_address: '193.8.94.149',
      ports: { http: 8167, socks5: 8168 },
      valid: true,
      country_code_confidence: 0.95,
    });
  });

  it('reads sub-users with and without the optional fields', () => {
    const users = ofKind('subUser').map((example) => parseWith(SubUserReader, example.value));
    expect(users[0]).toMatchObject({ proxy_countries: { ZZ: 1000 }, max_thread_count: 500 });
    expect(users[1]).toMatchObject({
      label: 'newcustomer',
      proxy_countries: null,
      verification_status: null,
    });
    // The get / update / refresh examples leave out max_thread_count.
    for (const user of users.slice(2)) expect(user).toMatchObject({ max_thread_count: null, proxy_usage: 0 });
    const page = parseWith(SubUserPageReader, ofKind('subUserPage')[0]?.value);
    expect(page.results[0]).toMatchObject({ id: 7, verification_status: 'not_required' });
  });

  it('reads the proxy config examples, including the updated password and IPs', () => {
    const configs = ofKind('proxyConfig').map((example) => ProxyConfigSchema.parse(example.value));
    expect(configs[0]?.authorized_ips).toEqual(['10.2.5.10', '10.2.6.10']);
    expect(configs[2]).toMatchObject({ password: 'newpassword', authorized_ips: ['10.3.5.10'] });
    expect(Object.keys(configs[0]?.download_links ?? {})).toHaveLength(8);
  });
});
