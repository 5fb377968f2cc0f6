/**
 * The HTTP control surface under /__sim/*, mirroring SimControl with JSON bodies, for the standalone
 * simulator and the demo. It needs no API key: it is not part of Webshare's API.
 */
import { Hono, type Context } from 'hono';
import type { SimRequestRecord } from './api';
import type { SimControl } from './control';
import type { Fault } from './faults';

type Body = Record<string, unknown>;

async function readBody(c: Context): Promise<Body> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new TypeError('expected a JSON object or array');
  return value as Body;
}

/** Runs a control operation on the request body; a bad body or value is a 400 naming the problem. */
function op(run: (body: Body, c: Context) => unknown) {
  return async (c: Context) => {
    try {
      const result = await run(await readBody(c), c);
      return c.json({ ok: true, ...(result === undefined ? {} : { result }) });
    } catch (error) {
      return c.json({ ok: false, error: error instanceof Error ? error.message : String(error) }, 400);
    }
  };
}

const num = (value: unknown, name: string): number => {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  return value;
};

/** `{count}`, `{addresses}` or (recover only) `{all: true}` / `{target}`. */
function target(body: Body, allowAll: boolean): number | string[] | 'all' {
  if (body.target !== undefined) return body.target as number | string[] | 'all';
  if (allowAll && body.all === true) return 'all';
  if (Array.isArray(body.addresses)) return body.addresses as string[];
  return num(body.count, 'count');
}

export function controlRoutes(control: SimControl, requests: SimRequestRecord[]): Hono {
  const app = new Hono();
  app.get('/state', (c) => c.json(control.snapshot()));
  app.get('/requests', (c) => c.json(requests));
  app.delete(
    '/requests',
    op(() => control.clearRequests()),
  );
  app.post(
    '/requests',
    op((body) => control.setRequests(body)),
  );
  app.post(
    '/bandwidth',
    op((body) => control.setBandwidth(body)),
  );
  app.post(
    '/quotas',
    op((body) => control.setQuotas(body)),
  );
  app.post(
    '/growth',
    op((body) => control.setGrowth(body)),
  );
  app.post(
    '/proxy-count',
    op((body) => control.setProxyCount(num(body.count, 'count'))),
  );
  app.post(
    '/invalidate',
    op((body) => ({
      addresses: control.invalidate(target(body, false) as number | string[], {
        country: typeof body.country === 'string' ? body.country : undefined,
      }),
    })),
  );
  app.post(
    '/recover',
    op((body) => ({ addresses: control.recover(target(body, true)) })),
  );
  app.post(
    '/advance',
    op((body) => control.advance(num(body.seconds, 'seconds'))),
  );
  app.get('/faults', (c) => c.json(control.listFaults()));
  app.post(
    '/faults',
    op((body) => {
      for (const fault of Array.isArray(body) ? body : [body]) control.inject(fault as Fault);
    }),
  );
  app.delete(
    '/faults',
    op(() => control.clearFaults()),
  );
  app.post(
    '/api-key',
    op((body) => control.setApiKey(String(body.key ?? ''))),
  );
  app.delete(
    '/api-key',
    op(() => control.revokeKey()),
  );
  app.post(
    '/revoke-key',
    op(() => control.revokeKey()),
  );
  app.post(
    '/subscription',
    op((body) => control.setSubscriptionEnd(String(body.end_date ?? body.endDate ?? body.iso ?? ''))),
  );
  app.post(
    '/subusers/:id/usage',
    op((body, c) => control.setSubUserUsage(Number(c.req.param('id')), num(body.usageBytes, 'usageBytes'))),
  );
  app.post(
    '/auto-refresh',
    op((body) =>
      control.setAutoRefresh({
        frequencySeconds: num(body.frequencySeconds, 'frequencySeconds'),
        percentage: body.percentage === undefined ? undefined : num(body.percentage, 'percentage'),
      }),
    ),
  );
  app.post(
    '/rate-limits',
    op((body) => control.setEnforceRateLimits(body.enforce !== false)),
  );
  app.post(
    '/reset',
    op(() => control.reset()),
  );
  return app;
}
