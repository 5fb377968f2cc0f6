/**
 * A simulator wired into globalThis.fetch (as the Worker sees it) and a client pointed at it, with
 * sleeps recorded instead of slept. `expectFailure` checks an error's class and that no message in its
 * chain carries the API key.
 */
import { expect } from 'vitest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../sim';
import type { WebshareError } from '../../src/webshare/errors';
import type { WebshareClientOptions } from '../../src/webshare/client-options';
import { WebshareClient } from '../../src/webshare/v1/client';
import { routeOutbound } from '../helpers/outbound';
import { WebshareV2Client } from '../../src/webshare/v2/client';

export const API_KEY = 'test-api-key-9f8e7d6c';
export const BASE_URL = 'https://webshare.sim';

export interface Harness {
  sim: Simulator;
  client: WebshareClient;
  /** Every wait the client asked for, in ms. */
  sleeps: number[];
  /** Another client on the same simulator. */
  makeClient(options?: Partial<WebshareClientOptions>): WebshareClient;
}

export function harness(
  simOptions: SimulatorOptions = {},
  clientOptions: Partial<WebshareClientOptions> = {},
): Harness {
  const sim = createSimulator(simOptions);
  routeOutbound({ 'webshare.sim': sim.fetch });
  const sleeps: number[] = [];
  const makeClient = (options: Partial<WebshareClientOptions> = {}) =>
    new WebshareClient({
      apiKey: API_KEY,
      baseUrl: BASE_URL,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...clientOptions,
      ...options,
    });
  return { sim, client: makeClient(), sleeps, makeClient };
}

export interface HarnessV2 {
  sim: Simulator;
  client: WebshareV2Client;
  sleeps: number[];
}

/** A simulator speaking v2 only, and a v2 client pointed at it. */
export function harnessV2(
  simOptions: SimulatorOptions = {},
  clientOptions: Partial<WebshareClientOptions> = {},
): HarnessV2 {
  const sim = createSimulator({ apiVersion: 'v2', ...simOptions });
  routeOutbound({ 'webshare.sim': sim.fetch });
  const sleeps: number[] = [];
  const client = new WebshareV2Client({
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => sim.control.now(),
    ...clientOptions,
  });
  return { sim, client, sleeps };
}

/** Awaits a rejection of class `type` whose messages (and causes') never mention any of `secrets`. */
export async function expectFailure<E extends WebshareError>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  secrets: string[] = [API_KEY],
): Promise<E> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${type.name}, but the call succeeded`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  for (let link: unknown = error; link instanceof Error; link = link.cause) {
    for (const secret of secrets) {
      expect(link.message).not.toContain(secret);
      expect(String(link.stack)).not.toContain(secret);
    }
  }
  for (const secret of secrets) expect(JSON.stringify(error)).not.toContain(secret);
  return error as E;
}
