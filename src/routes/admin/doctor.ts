/**
 * GET /v1/doctor: checks what the worker assumes of the live Webshare API, with GET requests only
 * (src/webshare/doctor/, the same checks as `npm run doctor`). Read-only, so the read-only token may
 * run it too. Its Webshare reads go through the account's rate gate like every other client's.
 */
import * as z from 'zod';
import '../../lib/zod-openapi-metadata';
import { createRoute } from '../../lib/openapi-app';
import { WEBSHARE_DIALECTS } from '../../model/dialect';
import { ASSUMPTIONS, VERDICTS } from '../../webshare/doctor/report';
import { runDoctor } from '../../webshare/doctor/run';
import { webshareTransportFor } from '../../webshare/open';
import { errorResponses, jsonResponse } from './responses';
import { ADMIN_MAX_ATTEMPTS, ADMIN_MAX_RETRY_WAIT_MS, ADMIN_SECURITY, adminRouter } from './shared';

const DoctorReportOut = z
  .object({
    dialect: z.enum(WEBSHARE_DIALECTS),
    dialect_source: z.enum(['probe', 'config']).openapi({
      description: '`probe` when WEBSHARE_API_VERSION is auto, `config` when it names the dialect',
    }),
    findings: z.array(
      z.object({
        item: z.number().openapi({ description: "The assumption's number in docs/webshare-api.md" }),
        name: z.enum(ASSUMPTIONS),
        verdict: z.enum(VERDICTS),
        seen: z.string().openapi({ description: 'What the reads showed; credentials only as fingerprints' }),
        read_failed: z.literal(true).optional(),
      }),
    ),
    summary: z.object({
      confirmed: z.number(),
      contradicted: z.number(),
      not_checkable: z.number(),
      read_failures: z.number(),
    }),
    requests: z.number().openapi({ description: 'Requests sent to Webshare, all GET' }),
  })
  .openapi('DoctorReport');

const getDoctor = createRoute({
  method: 'get',
  path: '/doctor',
  tags: ['Account'],
  summary: "Checks the documented assumptions about Webshare's API against the live account (read-only)",
  description:
    'Each assumption of docs/webshare-api.md is `confirmed`, `contradicted` or `not checkable read-only`, with what was seen. Only GET requests reach Webshare. Run it once after deploying.',
  security: ADMIN_SECURITY,
  responses: { 200: jsonResponse(DoctorReportOut, 'The report'), ...errorResponses() },
});

export function doctorRoutes() {
  return adminRouter().openapi(getDoctor, async (c) => {
    const config = c.get('config');
    const transport = webshareTransportFor(config, {
      maxAttempts: ADMIN_MAX_ATTEMPTS,
      maxRetryWaitMs: ADMIN_MAX_RETRY_WAIT_MS,
    });
    return c.json(await runDoctor({ transport, api: config.dialect }), 200);
  });
}
