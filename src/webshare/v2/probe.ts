/** Whether the server speaks v2 at all: the question WEBSHARE_API_VERSION=auto asks once (../auto.ts). */
import type { WebshareTransportOptions } from '../transport';
import { WebshareV2Client } from './client';

/** Resolves when GET /api/v2/subscription/ answers; throws its WebshareError otherwise (404: no v2). */
export async function askV2(options: WebshareTransportOptions): Promise<void> {
  await new WebshareV2Client(options).subscription();
}
