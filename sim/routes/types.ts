/** What every simulated endpoint receives and how it is declared. */
import type { SimBucket } from '../rate-limit';
import type { SimState, SimSubUser } from '../state';

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiContext {
  state: SimState;
  nowMs: number;
  url: URL;
  params: Record<string, string>;
  /** The sub-user named by X-Webshare-SubUser, on endpoints that accept it. */
  subUser: SimSubUser | undefined;
  /** The JSON request body as an object ({} when empty); 400 when it is not JSON or not an object. */
  body(): Promise<Record<string, unknown>>;
}

/** A handler returns a JSON-able body (sent as 200) or a complete Response. */
export type ApiHandler = (context: ApiContext) => unknown;

/** Which Webshare API a route belongs to: legacy `/api/…` or `/api/v2/` + `/api/v3/`. */
export type SimDialect = 'v1' | 'v2';

export interface ApiRoute {
  /** v1 unless set. */
  dialect?: SimDialect;
  /** Path with `:name` parameters, trailing slash included: '/api/subuser/:id/'. */
  path: string;
  bucket?: SimBucket;
  /** GET accepts the masquerade header (v1 X-Webshare-SubUser, v2 X-Subuser). */
  masquerade?: boolean;
  methods: Partial<Record<ApiMethod, ApiHandler>>;
}
