import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, API_KEY, call, useSimulator } from './helpers';

describe('admin API logs', () => {
  const sim = useSimulator();
  afterEach(() => vi.restoreAllMocks());

  function captureLogs(): string[] {
    const lines: string[] = [];
    for (const method of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    return lines;
  }

  it('writes JSON lines carrying the request id and never a secret or a proxy password', async () => {
    const lines = captureLogs();
    const created = await call('/v1/subusers', {
      method: 'POST',
      json: { label: 'logged', proxy_limit: 1 },
      headers: { 'Idempotency-Key': 'log-test-key-1', 'X-Request-Id': 'req-log-test-0001' },
    });
    expect(created.status).toBe(201);
    const { proxy_password } = (await created.json()) as { proxy_password: string };
    sim().control.revokeKey();
    const failed = await call('/v1/subusers', { headers: { 'X-Request-Id': 'req-log-test-0002' } });
    expect(failed.status).toBe(502);

    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const entry = JSON.parse(line) as { requestId?: string };
      expect(entry.requestId).toMatch(/^req-log-test-000[12]$/);
      for (const secret of [API_KEY, ADMIN_TOKEN, proxy_password, 'log-test-key-1']) {
        expect(line).not.toContain(secret);
      }
    }
  });
});
