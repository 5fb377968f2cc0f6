/**
 * v3 replacement, asynchronous: POST /api/v3/proxy/replace/ answers `validating`; GET
 * /api/v3/proxy/replace/{id}/ says where it stands; GET /api/v2/proxy/list/replaced/ says what
 * replaced what (filtered by `proxy_list_replacement` for one request). Never retried on failure
 * by the transport (a POST), since a replacement spends quota.
 */
import type { z } from 'zod';
import { toCidr } from '../../lib/ip';
import { allResults, eachPage } from '../paging';
import { createdSince } from '../found';
import { WebshareBadRequestError } from '../errors';
import type { Replacement, ReplacementResult } from '../types';
import type { SendRequest } from '../transport';
import { targetOf, toReplacementResult } from './normalise';
import { loadSchemas } from './load-schemas';
import type { V2ReplacedProxyPageSchema, V2Replacement } from './schemas';

/** Pages followed at most when listing replaced proxies for the admin API. */
const REPLACED_PAGES_MAX = 10;
const REPLACED_PAGE_SIZE = 100;
/**
 * Pages of replacement requests read, newest first, when looking for a lost attempt's: it was made
 * minutes ago at most (an Idempotency-Key's pending lease), so the first page nearly always holds it.
 */
const REQUEST_PAGES_MAX = 3;
const REQUEST_PAGE_SIZE = 50;

export class V2Replacements {
  constructor(private readonly send: SendRequest) {}

  /**
   * Starts replacing one proxy (v3, asynchronous: the answer is `validating`). Only single addresses:
   * replacing a range needs as many new proxies as the range holds, which the API does not tell us.
   */
  async create(ipOrCidr: string): Promise<ReplacementResult> {
    const path = '/api/v3/proxy/replace/';
    const cidr = toCidr(ipOrCidr);
    if (cidr === null || !(cidr.endsWith('/32') || cidr.endsWith('/128'))) {
      throw new WebshareBadRequestError('invalid replacement target', {
        method: 'POST',
        path,
        fieldErrors: {
          ip_address: [
            cidr === null
              ? 'Enter a valid IP address.'
              : 'On the v2 API a replacement names single addresses; replace a range one address at a time.',
          ],
        },
      });
    }
    const address = cidr.slice(0, cidr.lastIndexOf('/'));
    const { V2ReplacementSchema } = await loadSchemas();
    const request = await this.send({
      method: 'POST',
      path,
      body: {
        to_replace: { type: 'ip_address', ip_addresses: [address] },
        replace_with: [{ type: 'any', count: 1 }],
        dry_run: false,
      },
      schema: V2ReplacementSchema,
    });
    return toReplacementResult(request, cidr, null);
  }

  /** Where a replacement stands; once completed, the new address from the replaced-proxy list. */
  async get(id: number): Promise<ReplacementResult> {
    const { V2ReplacementSchema, V2ReplacedProxyPageSchema } = await loadSchemas();
    const request = await this.send({
      method: 'GET',
      path: `/api/v3/proxy/replace/${Math.trunc(id)}/`,
      schema: V2ReplacementSchema,
    });
    let replaced: Replacement | null = null;
    if (request.state === 'completed') {
      const page = await this.send({
        method: 'GET',
        path: '/api/v2/proxy/list/replaced/',
        query: { proxy_list_replacement: request.id },
        schema: V2ReplacedProxyPageSchema,
      });
      const first = page.results[0];
      if (first) replaced = toReplaced(first);
    }
    return toReplacementResult(request, targetOf(request), replaced);
  }

  /**
   * The replacement request for `cidr` made at or after `sinceMs`, whatever its state: the requests
   * themselves (GET /api/v3/proxy/replace/, newest first), since the replaced-proxy list holds only
   * finished ones and an accepted, unfinished replacement would otherwise be sent a second time.
   * One match or none: two cannot be told from another client's.
   */
  async find(cidr: string, sinceMs: number): Promise<ReplacementResult | undefined> {
    const { V2ReplacementPageSchema } = await loadSchemas();
    const matches: V2Replacement[] = [];
    for await (const page of eachPage(
      (page) =>
        this.send({
          method: 'GET',
          path: '/api/v3/proxy/replace/',
          query: { ordering: '-created_at', dry_run: 'false', page, page_size: REQUEST_PAGE_SIZE },
          schema: V2ReplacementPageSchema,
        }),
      REQUEST_PAGES_MAX,
    )) {
      const recent = page.results.filter((r) => createdSince(r.created_at, sinceMs));
      matches.push(...recent.filter((r) => r.dry_run !== true && targetOf(r) === cidr));
      // Newest first: a page that reaches back past `sinceMs` is the last one worth reading.
      if (recent.length < page.results.length) break;
    }
    if (matches.length !== 1) return undefined;
    const [request] = matches as [V2Replacement];
    return request.state === 'completed' ? this.get(request.id) : toReplacementResult(request, cidr, null);
  }

  /** What replaced what (newest pages first, as Webshare orders them), bounded for one request. */
  async list(): Promise<Replacement[]> {
    const { V2ReplacedProxyPageSchema } = await loadSchemas();
    const replaced = await allResults(
      (page) =>
        this.send({
          method: 'GET',
          path: '/api/v2/proxy/list/replaced/',
          query: { page, page_size: REPLACED_PAGE_SIZE },
          schema: V2ReplacedProxyPageSchema,
        }),
      REPLACED_PAGES_MAX,
    );
    return replaced.map(toReplaced);
  }
}

function toReplaced(item: z.output<typeof V2ReplacedProxyPageSchema>['results'][number]): Replacement {
  const suffix = item.proxy.includes(':') ? '/128' : '/32';
  return {
    ip_address: item.proxy.includes('/') ? item.proxy : `${item.proxy}${suffix}`,
    new_ip_address: item.replaced_with ?? null,
    created_at: item.created_at ?? null,
  };
}
