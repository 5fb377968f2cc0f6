/** What a chat-ops command runs with: bindings, parsed config, a logger, the clock and who asked. */
import type { Config } from '../config';
import type { Env } from '../env';
import type { Logger } from '../lib/log';

export type Platform = 'slack' | 'discord';

export interface Actor {
  platform: Platform;
  /** Slack user id (U…) or Discord user snowflake. */
  userId: string;
}

export interface CommandContext {
  env: Env;
  config: Config;
  log: Logger;
  nowMs: number;
  actor: Actor;
}
