/**
 * The dialects the worker speaks, and the one place the port's clients are built: a table from the
 * dialect's name to its implementation, chosen by name once (as hono.ts chooses its router). A third
 * dialect is a folder beside v1/ and v2/ and a line here.
 */
import type { WebshareDialect } from '../model/dialect';
import type { WebshareClientOptions } from './client-options';
import type { DialectTraits, WebshareApi } from './port';
import { WebshareClient } from './v1/client';
import { V1_TRAITS } from './v1/traits';
import { WebshareV2Client } from './v2/client';
import { V2_TRAITS } from './v2/traits';

interface DialectImplementation {
  traits: DialectTraits;
  connect(options: WebshareClientOptions): WebshareApi;
}

const DIALECTS: Record<WebshareDialect, DialectImplementation> = {
  v1: { traits: V1_TRAITS, connect: (options) => new WebshareClient(options) },
  v2: { traits: V2_TRAITS, connect: (options) => new WebshareV2Client(options) },
};

/** The dialect's implementation of the port. */
export function connectDialect(dialect: WebshareDialect, options: WebshareClientOptions): WebshareApi {
  return DIALECTS[dialect].connect(options);
}

/** What sets the dialect apart, before a client is built (a tick sizes its rate window with it). */
export function traitsOf(dialect: WebshareDialect): DialectTraits {
  return DIALECTS[dialect].traits;
}
