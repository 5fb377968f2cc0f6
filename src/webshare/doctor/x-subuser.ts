/**
 * Assumption 5, on v2: which credential read honours X-Subuser. Both candidates are read as the
 * account and as its first sub-user (never one made for the purpose: the doctor writes nothing);
 * the header is honoured where the two differ in username and in password. The worker reads
 * `/api/v3/proxy/list/status` and falls back to `/api/v2/proxy/config/` on 404/400, so the
 * assumption holds when the one it reads honours the header. Credentials are compared in constant
 * time and shown only as fingerprints.
 */
import { timingSafeEqualStrings } from '../../lib/crypto';
import { WebshareBadRequestError, WebshareNotFoundError } from '../errors';
import { RATE_LIMITS_V2_PER_MINUTE, SlidingWindowLimiter } from '../rate-limits';
import { WebshareTransport, type WebshareTransportOptions } from '../transport';
import { V2_SUBUSER_HEADER, type WebshareV2Client } from '../v2/client';
import { V2ProxyConfigObjectSchema, V2ProxyListStatusSchema } from '../v2/schemas';
import { finding, fingerprint, type Finding } from './report';

interface Credentials {
  username: string;
  password: string;
}

interface PathReading {
  path: string;
  /** Undefined when the path answered 404/400 (the worker then falls back). */
  honoured: boolean | undefined;
  seen: string;
}

export async function checkSubUserHeader(
  client: WebshareV2Client,
  transport: WebshareTransportOptions,
): Promise<Finding> {
  const { results } = await client.listSubUsers(1);
  const subUser = results[0];
  if (!subUser) {
    return finding(
      'x-subuser',
      'not checkable read-only',
      'no sub-user to masquerade as (the doctor makes none)',
    );
  }
  const raw = new WebshareTransport({
    ...transport,
    subUserHeader: V2_SUBUSER_HEADER,
    limiter: new SlidingWindowLimiter(RATE_LIMITS_V2_PER_MINUTE),
  });
  const { plan } = await client.subscription();
  const read = (path: string, subUserId?: number): Promise<Credentials> =>
    path === STATUS_PATH
      ? raw.request({
          method: 'GET',
          path,
          query: { plan_id: plan },
          schema: V2ProxyListStatusSchema,
          subUserId,
        })
      : raw.request({ method: 'GET', path, schema: V2ProxyConfigObjectSchema, subUserId });
  const readings: PathReading[] = [];
  for (const path of [STATUS_PATH, CONFIG_PATH]) readings.push(await readPath(path, subUser.id, read));
  // The worker's read: the first path that answers.
  const used = readings.find((r) => r.honoured !== undefined);
  const seen = `as sub-user ${subUser.id}: ${readings.map((r) => r.seen).join('; ')}`;
  if (!used) return finding('x-subuser', 'not checkable read-only', seen);
  const verdict = used.honoured ? 'confirmed' : 'contradicted';
  const consequence = used.honoured ? '' : ' (the worker refuses such credentials: it hands out none)';
  return finding('x-subuser', verdict, `${seen}; the worker reads ${used.path}${consequence}`);
}

const STATUS_PATH = '/api/v3/proxy/list/status';
const CONFIG_PATH = '/api/v2/proxy/config/';

async function readPath(
  path: string,
  subUserId: number,
  read: (path: string, subUserId?: number) => Promise<Credentials>,
): Promise<PathReading> {
  let own: Credentials;
  let theirs: Credentials;
  try {
    [own, theirs] = await Promise.all([read(path), read(path, subUserId)]);
  } catch (error) {
    if (!(error instanceof WebshareNotFoundError || error instanceof WebshareBadRequestError)) throw error;
    return { path, honoured: undefined, seen: `${path} answered ${error.status}` };
  }
  const [sameUsername, samePassword] = await Promise.all([
    timingSafeEqualStrings(own.username, theirs.username),
    timingSafeEqualStrings(own.password, theirs.password),
  ]);
  const honoured = !sameUsername && !samePassword;
  const [ownPrint, theirPrint] = await Promise.all([fingerprint(own.username), fingerprint(theirs.username)]);
  const seen = `${path} ${honoured ? 'honours' : 'ignores'} it (username ${ownPrint} as the account, ${theirPrint} as the sub-user)`;
  return { path, honoured, seen };
}
