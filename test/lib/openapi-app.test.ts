import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createApp } from '../../src/app';
import OPENAPI_DOCUMENT from '../../public/openapi.json';
import { OpenAPIHono, createRoute } from '../../src/lib/openapi-app';
import { validationHook } from '../../src/lib/validation';

describe('the runtime OpenAPI router', () => {
  it('records every documented route under its mount path, exactly the paths of the served document', () => {
    const recorded = createApp()
      .openAPIRegistry.definitions.flatMap((d) =>
        d.type === 'route' ? [`${d.route.method} ${d.route.path}`] : [],
      )
      .sort();
    const served = Object.entries(OPENAPI_DOCUMENT.paths as Record<string, object>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort();
    expect(recorded).toContain('get /v1/subusers/{id}');
    expect(recorded).toEqual(served);
  });

  it('validates a JSON body with the nearest defaultHook of a parent app and answers its 400 envelope', async () => {
    const child = new OpenAPIHono();
    child.openapi(
      createRoute({
        method: 'post',
        path: '/things/{id}',
        request: {
          params: z.object({ id: z.string().min(3) }),
          body: { required: true, content: { 'application/json': { schema: z.object({ n: z.number() }) } } },
        },
        responses: { 200: { description: 'ok' } },
      }),
      (c) => c.json({ id: c.req.valid('param').id, n: c.req.valid('json').n }, 200),
    );
    const parent = new OpenAPIHono({ defaultHook: validationHook });
    parent.route('/v9', child);
    parent.onError((error, c) => c.json({ status: (error as { status?: number }).status }, 500));
    const post = (path: string, body: string, type = 'application/json') =>
      parent.request(path, { method: 'POST', body, headers: { 'Content-Type': type } });

    expect(await (await post('/v9/things/abc', '{"n":1}')).json()).toEqual({ id: 'abc', n: 1 });
    expect(await (await post('/v9/things/abc', '{"n":"x"}')).json()).toEqual({ status: 400 });
    expect(await (await post('/v9/things/ab', '{"n":1}')).json()).toEqual({ status: 400 });
    expect(await (await post('/v9/things/abc', 'n=1', 'text/plain')).json()).toEqual({ status: 415 });
  });

  it('refuses at startup a route whose body it could not validate at run time, instead of passing it unchecked', () => {
    const routes = new OpenAPIHono();
    const formRoute = createRoute({
      method: 'post',
      path: '/form',
      request: {
        body: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ a: z.string() }) } } },
      },
      responses: { 200: { description: 'ok' } },
    });
    expect(() => routes.openapi(formRoute, (c) => c.text('never'))).toThrow(/only JSON bodies/);
  });

  it('treats .openapi() metadata as build-time only: the worker keeps the schema itself', () => {
    const schema = z.string();
    expect(schema.openapi({ example: 'x' })).toBe(schema);
  });
});
