/**
 * The router of every documented route, at run time: the same validation as @hono/zod-openapi's
 * OpenAPIHono (one validator per request part, the route's or the nearest app's defaultHook, the same
 * 415 gate for JSON bodies), without generating an OpenAPI document in the worker. Route definitions
 * are recorded instead (`openAPIRegistry.definitions`, merged up through `route()` like the real
 * registry), and scripts/build-openapi.ts replays them into the real package at build time. Tests, the
 * bundle and the build script all run this one code path.
 *
 * Typed as the real OpenAPIHono, so handlers keep their typed `c.req.valid()` and responses; only
 * `openapi`, `route` and `openAPIRegistry` (registerPath, registerComponent, definitions) exist at run
 * time — the document methods (`doc31`, `getOpenAPI31Document`) belong to the build script.
 */
import type {
  OpenAPIHono as DocumentingHono,
  RouteConfig,
  createRoute as documentingCreateRoute,
} from '@hono/zod-openapi';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { Hono } from 'hono/tiny';
import { HTTPException } from 'hono/http-exception';
import { mergePath } from 'hono/utils/url';
import type { ValidationTargets } from 'hono';
import { validator } from 'hono/validator';
import type * as z from 'zod';
import './zod-openapi-metadata';

export type RouteDefinition =
  | { type: 'route'; route: RouteConfig }
  | { type: 'component'; componentType: string; name: string; component: unknown };

type HookResult = Response | { response: Response } | void | undefined;
type Hook = (result: { success: boolean; target: string }, c: Context) => HookResult | Promise<HookResult>;
type Target = keyof ValidationTargets;

const JSON_CONTENT_TYPE = /^application\/([a-z-.]+\+)?json/i;
// A request's Content-Type that may reach a JSON validator (parameters such as charset allowed).
const JSON_REQUEST_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const OPENAPI_PATH_PARAMETER = /:([^/]+)/g;
const ROUTING_PATH_PARAMETER = /\/{(.+?)}/g;

/** What the registry records; the build script reads `definitions` back. */
class RouteRecorder {
  readonly definitions: RouteDefinition[] = [];

  registerPath(route: RouteConfig): void {
    this.definitions.push({ type: 'route', route });
  }

  registerComponent(componentType: string, name: string, component: unknown): void {
    this.definitions.push({ type: 'component', componentType, name, component });
  }
}

/** @hono/zod-validator's behaviour: header names matched case-insensitively, then the hook decides. */
function zodValidator(target: Target, schema: z.ZodType, hook: Hook): MiddlewareHandler {
  const shape = (schema as { shape?: object }).shape;
  const headerNames =
    target === 'header' && shape
      ? new Map(Object.keys(shape).map((name) => [name.toLowerCase(), name]))
      : undefined;
  return validator(target, async (value: Record<string, unknown>, c) => {
    const input = headerNames
      ? Object.fromEntries(Object.entries(value).map(([name, v]) => [headerNames.get(name) ?? name, v]))
      : value;
    const result = await schema.safeParseAsync(input);
    const hookResult = await hook({ data: input, ...result, target } as never, c);
    if (hookResult instanceof Response) return hookResult;
    if (hookResult && 'response' in hookResult) return hookResult.response;
    if (!result.success) return c.json(result, 400);
    return result.data;
  });
}

/** Whether the request carries at least one body byte (without consuming the body). */
async function hasRequestBody(c: Context): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** The body validators of a route: a 415 gate on the media type, then zod on JSON. */
function bodyValidators(route: RouteConfig, hook: Hook): MiddlewareHandler[] {
  const content = route.request?.body?.content as Record<string, { schema?: unknown }> | undefined;
  if (!content) return [];
  const mediaTypes = Object.keys(content);
  const unsupported = mediaTypes.find((type) => !JSON_CONTENT_TYPE.test(type) && content[type]?.schema);
  if (unsupported) {
    throw new Error(
      `${route.method} ${route.path}: only JSON bodies are validated at run time, not ${unsupported}`,
    );
  }
  const schema = mediaTypes.map((type) => content[type]?.schema).find(Boolean) as z.ZodType | undefined;
  if (!schema) return [];
  const mediaTypeGate: MiddlewareHandler = async (c, next) => {
    const contentType = c.req.header('content-type');
    if (contentType ? !JSON_REQUEST_TYPE.test(contentType) : await hasRequestBody(c)) {
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    }
    await next();
  };
  const json = zodValidator('json', schema, hook);
  if (route.request?.body?.required) return [mediaTypeGate, json];
  const optionalJson: MiddlewareHandler = async (c, next) => {
    if (JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) return json(c, next);
    c.req.addValidatedData('json', {});
    await next();
  };
  return [mediaTypeGate, optionalJson];
}

class ValidatingHono<E extends Env = Env> extends Hono<E> {
  readonly openAPIRegistry = new RouteRecorder();
  readonly defaultHook: Hook | undefined;
  #parentApp: ValidatingHono<E> | undefined;

  constructor(init?: { defaultHook?: Hook }) {
    super();
    this.defaultHook = init?.defaultHook;
  }

  #resolveDefaultHook(): Hook | undefined {
    if (this.defaultHook) return this.defaultHook;
    const seen = new Set<ValidatingHono<E>>([this]);
    for (let app = this.#parentApp; app && !seen.has(app); app = app.#parentApp) {
      if (app.defaultHook) return app.defaultHook;
      seen.add(app);
    }
    return undefined;
  }

  openapi = (
    { middleware, hide, ...route }: RouteConfig & { hide?: boolean },
    handler: MiddlewareHandler,
    hook?: Hook,
  ): this => {
    if (!hide) this.openAPIRegistry.registerPath(route);
    const effectiveHook: Hook = hook ?? ((result, c) => this.#resolveDefaultHook()?.(result, c));
    const request = route.request;
    const validators: MiddlewareHandler[] = [];
    if (request?.query) validators.push(zodValidator('query', request.query as z.ZodType, effectiveHook));
    if (request?.params) validators.push(zodValidator('param', request.params as z.ZodType, effectiveHook));
    if (request?.headers)
      validators.push(zodValidator('header', request.headers as z.ZodType, effectiveHook));
    if (request?.cookies)
      validators.push(zodValidator('cookie', request.cookies as z.ZodType, effectiveHook));
    validators.push(...bodyValidators(route, effectiveHook));
    const routeMiddleware = middleware ? [middleware].flat() : [];
    this.on(
      [route.method],
      [route.path.replaceAll(ROUTING_PATH_PARAMETER, '/:$1')],
      ...(routeMiddleware as MiddlewareHandler[]),
      ...validators,
      handler,
    );
    return this;
  };

  // The parent's signature is generic over the sub-app's schema; nothing here depends on it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override route(path: string, app: any): any {
    super.route(path, app);
    if (!(app instanceof ValidatingHono)) return this;
    app.#parentApp ??= this;
    const mountPath = path.replaceAll(OPENAPI_PATH_PARAMETER, '{$1}');
    const basePath = (app as unknown as { _basePath: string })._basePath.replaceAll(
      OPENAPI_PATH_PARAMETER,
      '{$1}',
    );
    for (const definition of app.openAPIRegistry.definitions) {
      if (definition.type === 'route') {
        const routePath = mergePath(mountPath, basePath, definition.route.path);
        this.openAPIRegistry.registerPath({ ...definition.route, path: routePath });
      } else {
        this.openAPIRegistry.registerComponent(
          definition.componentType,
          definition.name,
          definition.component,
        );
      }
    }
    return this;
  }
}

/** A documented router (see the module comment): validates at run time, records for the build. */
export const OpenAPIHono = ValidatingHono as unknown as typeof DocumentingHono;
export type OpenAPIHono<E extends Env = Env> = DocumentingHono<E>;
/** A documented route's handler, typed by its definition (a type only: nothing of the package at run time). */
export type { RouteHandler } from '@hono/zod-openapi';

/** The route definition as the real package returns it, with the non-enumerable routing path. */
export const createRoute = ((route: RouteConfig) =>
  Object.defineProperty({ ...route }, 'getRoutingPath', {
    value: () => route.path.replaceAll(ROUTING_PATH_PARAMETER, '/:$1'),
    enumerable: false,
  })) as unknown as typeof documentingCreateRoute;
