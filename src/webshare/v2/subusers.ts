/**
 * v2 sub-users (/api/v2/subuser/): create, get, PATCH, DELETE (204), list and refresh. The objects
 * carry no proxy credentials; a single sub-user gets them by masquerading as it (X-Subuser), one
 * request more, so every caller that shows or hands out credentials has them on either dialect.
 * Lists do not: that would be one request per sub-user.
 */
import { allResults, subUserPath } from '../paging';
import type { ListedSubUser, SubUser, SubUserCreate, SubUserPage, SubUserUpdate } from '../types';
import type { SendRequest } from '../transport';
import { toListedSubUser, withCredentials } from './normalise';
import { V2SubUserPageReader, V2SubUserReader, type V2SubUser } from './readers';

type Credentials = (subUserId: number) => Promise<{ username: string; password: string }>;

export class V2SubUsers {
  constructor(
    private readonly send: SendRequest,
    private readonly credentials: Credentials,
  ) {}

  check(id: number): string {
    return subUserPath(id);
  }

  async #withCredentials(user: V2SubUser): Promise<SubUser> {
    return withCredentials(user, await this.credentials(user.id));
  }

  async create(body: SubUserCreate): Promise<SubUser> {
    const user = await this.send({ method: 'POST', path: '/api/v2/subuser/', body, schema: V2SubUserReader });
    return this.#withCredentials(user);
  }

  /** One sub-user; `credentials: false` skips the masquerade read (for its limit only). */
  async get(id: number, credentials: true): Promise<SubUser>;
  async get(id: number, credentials: false): Promise<ListedSubUser>;
  async get(id: number, credentials: boolean): Promise<SubUser | ListedSubUser> {
    const user = await this.send({
      method: 'GET',
      path: `/api/v2/subuser/${subUserPath(id)}/`,
      schema: V2SubUserReader,
    });
    return credentials ? this.#withCredentials(user) : toListedSubUser(user);
  }

  async update(id: number, patch: SubUserUpdate): Promise<SubUser> {
    const user = await this.send({
      method: 'PATCH',
      path: `/api/v2/subuser/${subUserPath(id)}/`,
      body: patch,
      schema: V2SubUserReader,
    });
    return this.#withCredentials(user);
  }

  /** POST (the docs' header says GET; their example and both SDKs POST). */
  async refresh(id: number): Promise<SubUser> {
    const user = await this.send({
      method: 'POST',
      path: `/api/v2/subuser/${subUserPath(id)}/refresh/`,
      schema: V2SubUserReader,
    });
    return this.#withCredentials(user);
  }

  async delete(id: number): Promise<void> {
    await this.send({ method: 'DELETE', path: `/api/v2/subuser/${subUserPath(id)}/`, schema: undefined });
  }

  async list(page = 1): Promise<SubUserPage> {
    const result = await this.send({
      method: 'GET',
      path: '/api/v2/subuser/',
      query: { page },
      schema: V2SubUserPageReader,
    });
    return { ...result, results: result.results.map(toListedSubUser) };
  }

  listAll(): Promise<ListedSubUser[]> {
    return allResults((page) => this.list(page));
  }
}
