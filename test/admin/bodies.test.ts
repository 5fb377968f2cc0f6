import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/middleware/json-body';
import { call, errorOf, useSimulator } from './helpers';

describe('request bodies', () => {
  const sim = useSimulator();

  it('refuses a body that is not JSON with 415', async () => {
    const response = await call('/v1/subusers', {
      method: 'POST',
      body: 'label=a&proxy_limit=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
    expect(sim().requests).toHaveLength(0);
  });

  it('refuses a JSON body sent without a Content-Type with 415', async () => {
    const response = await call('/v1/proxies/replace', { method: 'POST', body: '{"ip_address":"10.0.0.1"}' });
    expect(response.status).toBe(415);
  });

  it('answers malformed JSON with 400, never 500', async () => {
    const response = await call('/v1/subusers', {
      method: 'POST',
      body: '{"label": "a", "proxy_limit": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('malformed_json');
    expect(sim().requests).toHaveLength(0);
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const response = await call('/v1/subusers', { method: 'POST', json: ['label'] });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_request');
  });

  it('answers a missing body on a route that needs one with 400', async () => {
    const response = await call('/v1/proxies/replace', { method: 'POST' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('ip_address');
  });

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const label = 'x'.repeat(DEFAULT_MAX_BODY_BYTES);
    const declared = await call('/v1/subusers', { method: 'POST', json: { label, proxy_limit: 1 } });
    expect(declared.status).toBe(413);
    expect((await errorOf(declared)).code).toBe('payload_too_large');

    const bytes = new TextEncoder().encode(JSON.stringify({ label, proxy_limit: 1 }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const streamed = await call('/v1/subusers', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(streamed.status).toBe(413);
    expect(sim().requests).toHaveLength(0);
  });

  it('accepts application/json with a charset parameter', async () => {
    const charset = await call('/v1/subusers', {
      method: 'POST',
      json: { label: 'a', proxy_limit: 1 },
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(charset.status).toBe(201);
  });

  it('lets a body-less POST through', async () => {
    const response = await call('/v1/proxy-list/refresh', { method: 'POST' });
    expect(response.status).toBe(200);
  });
});
