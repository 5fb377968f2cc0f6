/**
 * The answers a cron tick reads are read without zod (src/lib/json-reader.ts says why). Each reader
 * must answer exactly as the zod schema it replaced, kept in ./twins/ as the reference: for thousands
 * of bodies of the schema's shape with fields absent, null, mistyped or extra, the same verdict, the
 * same data (key for key, absent keys absent) and a refusal naming the same fields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { ResponseParser } from '../../src/webshare/transport';
import * as v1 from '../../src/webshare/v1/readers';
import * as v1Twins from './twins/v1';
import * as v2 from '../../src/webshare/v2/readers';
import * as v2Twins from './twins/v2';
import { responseFor } from './twins/arbitrary';

const fieldsOf = (result: ReturnType<ResponseParser['safeParse']>) =>
  result.success
    ? []
    : [...new Set(result.error.issues.map((issue) => issue.path.map(String).join('.')))].sort();

/** The same verdict, data and refused fields from both, for one body. */
export function expectSameAnswer(reader: ResponseParser, twin: z.ZodType, body: unknown) {
  const ours = reader.safeParse(body);
  const zods = twin.safeParse(body);
  expect({ success: ours.success, fields: fieldsOf(ours) }).toEqual({
    success: zods.success,
    fields: fieldsOf(zods as ReturnType<ResponseParser['safeParse']>),
  });
  if (ours.success && zods.success) expect(ours.data).toStrictEqual(zods.data);
}

const PAIRS: [string, ResponseParser, z.ZodType][] = [
  ['v1 subscription', v1.SubscriptionReader, v1Twins.SubscriptionSchema],
  ['v1 replacement info', v1.ReplacementInfoReader, v1Twins.ReplacementInfoSchema],
  ['v1 proxy stats', v1.ProxyStatsReader, v1Twins.ProxyStatsSchema],
  ['v1 sub-user', v1.SubUserReader, v1Twins.SubUserSchema],
  ['v1 sub-user page', v1.SubUserPageReader, v1Twins.SubUserPageSchema],
  ['v2 subscription', v2.V2SubscriptionReader, v2Twins.V2SubscriptionSchema],
  ['v2 plan', v2.V2PlanReader, v2Twins.V2PlanSchema],
  ['v2 aggregate stats', v2.V2AggregateStatsReader, v2Twins.V2AggregateStatsSchema],
  ['v2 sweep page', v2.V2ProxyValidityPageReader, v2Twins.V2ProxyValidityPageSchema],
  ['v2 sub-user', v2.V2SubUserReader, v2Twins.V2SubUserSchema],
  ['v2 sub-user page', v2.V2SubUserPageReader, v2Twins.V2SubUserPageSchema],
];

describe.each(PAIRS)('the %s reader', (_name, reader, twin) => {
  it('answers as its zod schema did, for 2,000 bodies of every kind', () => {
    let accepted = 0;
    fc.assert(
      fc.property(responseFor(twin), (body) => {
        expectSameAnswer(reader, twin, body);
        if (twin.safeParse(body).success) accepted++;
      }),
      { numRuns: 2_000 },
    );
    // Both verdicts were met often enough to mean something.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(1_900);
  });
});
