/** The Hono context every route sees: bindings plus per-request config, request id and logger. */
import type { Config } from './config';
import type { Env } from './env';
import type { Logger } from './lib/log';

export interface AppVariables {
  config: Config;
  requestId: string;
  log: Logger;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
