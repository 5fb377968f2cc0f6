import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hmacSha256, matchConfiguredSecrets, utf8 } from '../../src/lib/crypto';

describe('hmacSha256 with imported keys kept per secret', () => {
  it('signs with the right key for each of more secrets than it keeps, asked in interleaved order', async () => {
    const secrets = Array.from({ length: 70 }, (_, i) => `secret-${i}-${'x'.repeat(i)}`);
    for (const round of [0, 1]) {
      for (const [i, secret] of secrets.entries()) {
        const message = `message ${round} ${i}`;
        const expected = createHmac('sha256', secret).update(message).digest('hex');
        const key = i % 2 === 0 ? secret : utf8(secret);
        expect(Buffer.from(await hmacSha256(key, message)).toString('hex'), secret).toBe(expected);
      }
    }
  });

  it('keeps two secrets that differ only in their last byte apart', async () => {
    const a = await hmacSha256('same-prefix-a', 'body');
    const b = await hmacSha256('same-prefix-b', 'body');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(await hmacSha256('same-prefix-a', 'body')).equals(Buffer.from(a))).toBe(true);
  });
});

describe('matchConfiguredSecrets', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const admin = 'admin-token-0123456789abcdef';
  const reader = 'reader-token-0123456789abcdef';

  it.each([
    ['the first secret', admin, [true, false]],
    ['the second secret', reader, [false, true]],
    ['neither', 'someone-else-0123456789abcdef', [false, false]],
    ['a prefix of a secret', admin.slice(0, -1), [false, false]],
    ['a secret with a byte more', `${admin}x`, [false, false]],
    ['the empty string', '', [false, false]],
  ])('tells which configured secret it was presented: %s', async (_name, presented, expected) => {
    expect(await matchConfiguredSecrets(presented, [admin, reader])).toEqual(expected);
  });

  it('never matches a secret that is not configured', async () => {
    expect(await matchConfiguredSecrets(admin, [undefined, admin])).toEqual([false, true]);
  });

  it('hashes only the presented token once the configured ones have been hashed', async () => {
    const configured = ['digest-count-admin-0123456789', 'digest-count-reader-0123456789'];
    await matchConfiguredSecrets('first-request-token', configured);
    const digest = vi.spyOn(crypto.subtle, 'digest');
    await matchConfiguredSecrets('second-request-token', configured);
    await matchConfiguredSecrets(configured[1]!, configured);
    expect(digest).toHaveBeenCalledTimes(2);
  });
});
