import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, utf8 } from '../../src/lib/crypto';

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
