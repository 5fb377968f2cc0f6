/**
 * Gives every request an id (echoed as X-Request-Id and on every log line), its parsed config (parsed
 * once per isolate, see configFor) and a logger that scrubs secrets. An incoming X-Request-Id is kept when it looks like one of ours, so a
 * caller can correlate; anything else is replaced (it would end up in logs verbatim).
 */
import type { MiddlewareHandler } from 'hono';
import { configFor } from '../config';
import type { AppEnv } from '../context';
import { createLogger } from '../lib/log';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestContext(): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    const incoming = c.req.header('X-Request-Id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const config = await configFor(c.env);
    c.set('requestId', requestId);
    c.set('config', config);
    c.set(
      'log',
      createLogger({ secrets: config.secretValues, level: config.logLevel, fields: { requestId } }),
    );
    c.header('X-Request-Id', requestId);
    await next();
  };
}
