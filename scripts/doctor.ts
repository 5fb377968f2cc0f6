/**
 * Checks what the worker assumes of the live Webshare API (docs/webshare-api.md, "Assumptions a live
 * v2 key should confirm") with GET requests only; the same checks as GET /v1/doctor.
 *
 *   WEBSHARE_API_KEY=... npm run doctor [-- --api v1|v2|auto] [--json]
 *
 * WEBSHARE_API_BASE_URL (default https://proxy.webshare.io) points it elsewhere, e.g. the simulator:
 * `npm run sim -- --api v2`, then WEBSHARE_API_KEY=test-api-key-9f8e7d6c
 * WEBSHARE_API_BASE_URL=http://127.0.0.1:9080 npm run doctor. Exit 1 on a contradiction, 2 when the
 * API could not be read or a read failed, 0 otherwise. Never prints the key or a credential.
 */
import { timingSafeEqual } from 'node:crypto';
import { doctorExitCode, doctorText } from '../src/webshare/doctor/text';
import { runDoctor, type DoctorOptions } from '../src/webshare/doctor/run';

// src/lib/crypto.ts compares credentials with workerd's crypto.subtle.timingSafeEqual, which Node's
// Web Crypto lacks: node:crypto's constant-time comparison stands in for it here.
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: SubtleCrypto['timingSafeEqual'] };
subtle.timingSafeEqual ??= (a, b) =>
  timingSafeEqual(new Uint8Array(a as ArrayBuffer), new Uint8Array(b as ArrayBuffer));

const DEFAULT_BASE_URL = 'https://proxy.webshare.io';
const CHOICES = ['v1', 'v2', 'auto'] as const;

function argAfter(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at === -1 ? undefined : process.argv[at + 1];
}

function apiChoice(): DoctorOptions['api'] {
  const api = argAfter('--api') ?? 'auto';
  if (!(CHOICES as readonly string[]).includes(api)) {
    throw new Error(`--api must be one of: ${CHOICES.join(', ')} (got "${api}")`);
  }
  return api as DoctorOptions['api'];
}

async function main(): Promise<number> {
  const apiKey = process.env.WEBSHARE_API_KEY ?? '';
  if (!apiKey) throw new Error('WEBSHARE_API_KEY is not set');
  const baseUrl = process.env.WEBSHARE_API_BASE_URL || DEFAULT_BASE_URL;
  const report = await runDoctor({ transport: { apiKey, baseUrl }, api: apiChoice() });
  process.stdout.write(
    process.argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : doctorText(report),
  );
  return doctorExitCode(report);
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // Webshare errors name the method, path and status, never the key.
    console.error(`doctor: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
