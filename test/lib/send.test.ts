import { describe, expect, it } from 'vitest';
import { send, type Attempt } from '../../src/lib/send';

/** A recording fetch: answers the given statuses in turn and records whether each body was read. */
function answering(...statuses: Array<number | 'network'>) {
  const bodies: Response[] = [];
  let calls = 0;
  const fetch = (_url: Request | string | URL, _init?: RequestInit): Promise<Response> => {
    const status = statuses[Math.min(calls++, statuses.length - 1)];
    if (status === 'network') return Promise.reject(new TypeError('connection refused'));
    const response = new Response(`answer ${calls}`, { status });
    bodies.push(response);
    return Promise.resolve(response);
  };
  return { fetch, bodies, calls: () => calls };
}

const request = () => ({ url: 'https://sink.test/x', init: { method: 'POST', body: 'x' } });
const noSleep = () => Promise.resolve();
const statusOf = (attempt: Attempt) => attempt.response?.status ?? attempt.failure;

describe('send', () => {
  it('tries again while the judge asks to, and returns the last verdict', async () => {
    const sink = answering(503, 'network', 200);
    const result = await send(request, {
      timeoutMs: 1000,
      attempts: 5,
      sleep: noSleep,
      fetch: sink.fetch,
      judge: (attempt) => ({ verdict: statusOf(attempt), retryInMs: attempt.response?.ok ? null : 10 }),
    });
    expect(result).toEqual({ verdict: 200, attempts: 3 });
  });

  it('stops at the attempt limit even when the judge would go on', async () => {
    const sink = answering(500);
    const result = await send(request, {
      timeoutMs: 1000,
      attempts: 2,
      sleep: noSleep,
      fetch: sink.fetch,
      judge: (attempt) => ({ verdict: statusOf(attempt), retryInMs: 0 }),
    });
    expect(result).toEqual({ verdict: 500, attempts: 2 });
    expect(sink.calls()).toBe(2);
  });

  it('consumes the body of every response, read by the judge or not', async () => {
    const sink = answering(500, 500, 200);
    await send(request, {
      timeoutMs: 1000,
      attempts: 3,
      sleep: noSleep,
      fetch: sink.fetch,
      judge: (attempt) => ({ verdict: null, retryInMs: attempt.response?.ok ? null : 0 }),
    });
    expect(sink.bodies.map((r) => r.bodyUsed || r.body === null || r.body.locked)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('sends nothing when beforeAttempt refuses, and keeps the verdict of the attempts before', async () => {
    const sink = answering(503);
    let allowed = 1;
    const result = await send(request, {
      timeoutMs: 1000,
      attempts: 3,
      sleep: noSleep,
      fetch: sink.fetch,
      beforeAttempt: () => allowed-- > 0,
      judge: (attempt) => ({ verdict: statusOf(attempt), retryInMs: 0 }),
    });
    expect(result).toEqual({ verdict: 503, attempts: 1 });
    expect(sink.calls()).toBe(1);
  });

  it('reports a timeout as a failure, not a throw', async () => {
    const result = await send(request, {
      timeoutMs: 5,
      fetch: (_url, init) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
      judge: (attempt) => ({ verdict: statusOf(attempt) }),
    });
    expect(result).toEqual({ verdict: 'timeout', attempts: 1 });
  });
});
