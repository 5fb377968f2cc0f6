/**
 * Assumption 1: GET /api/v2/subscription/ answers 2xx where v2 exists and 404 where it does not, so
 * the `auto` probe (../auto.ts) can choose. Anything else while v1 answers the same key means
 * `auto` would never decide: every tick would speak v1 and probe again.
 */
import type { WebshareDialect } from '../../model/dialect';
import { connectDialect } from '../dialects';
import { probeDialect } from '../auto';
import { WebshareError } from '../errors';
import type { WebshareTransportOptions } from '../transport';
import { finding, type Finding } from './report';

const PROBE = 'GET /api/v2/subscription/';

export interface ProbeOutcome {
  finding: Finding;
  /** What `auto` chooses; undefined when the probe decides nothing. */
  probed: WebshareDialect | undefined;
}

/**
 * Probes as `auto` does. Throws the probe's error when v1 refuses the key too: then nothing can be
 * checked (a wrong key, an outage), which is no finding about the API.
 */
export async function checkProbe(transport: WebshareTransportOptions): Promise<ProbeOutcome> {
  let probed: WebshareDialect;
  try {
    probed = await probeDialect(transport);
  } catch (error) {
    if (!(error instanceof WebshareError) || error.status === undefined) throw error;
    await readV1(transport, error);
    const seen = `${PROBE} answered ${error.status} while v1 answers the same key: auto never decides (speaks v1 and probes again every tick)`;
    return { finding: finding('v2-probe', 'contradicted', seen), probed: undefined };
  }
  if (probed === 'v2') {
    const seen = `${PROBE} answered 2xx: v2 is served, auto chooses v2 (the 404 of a server without v2 cannot be seen here)`;
    return { finding: finding('v2-probe', 'confirmed', seen), probed };
  }
  await readV1(transport);
  const seen = `${PROBE} answered 404 and v1 answers: auto chooses v1`;
  return { finding: finding('v2-probe', 'confirmed', seen), probed };
}

/** One v1 read; when it fails, the probe's own error (if any) says more about why. */
async function readV1(transport: WebshareTransportOptions, probeError?: WebshareError): Promise<void> {
  try {
    await connectDialect('v1', transport).getSubscription();
  } catch (error) {
    throw probeError ?? error;
  }
}
