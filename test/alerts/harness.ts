/**
 * Drives the real alert engine tick by tick: real KV (counted, not replaced), recording sinks for
 * Slack, Discord and the webhook, snapshots from the builder, and a fast sleep for retry backoff.
 */
import { env } from 'cloudflare:test';
import { runAlerting, type AlertingReport } from '../../src/alerts/engine';
import type { Config } from '../../src/config';
import type { Env } from '../../src/env';
import { SubrequestBudget } from '../../src/lib/budget';
import { createLogger } from '../../src/lib/log';
import type { Snapshot } from '../../src/model/snapshot';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { makeConfig } from '../notifiers/fixtures';
import { snapshot, type SnapshotOptions } from './snapshot-builder';

/** Real KV with every call counted, so the engine's own kvReads/kvWrites can be checked. */
export function countingKv(kv: KVNamespace): { kv: KVNamespace; reads: () => number; writes: () => number } {
  let reads = 0;
  let writes = 0;
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        // A bulk get (an array of keys) is billed per key: count keys, not calls.
        if (prop === 'get' || prop === 'getWithMetadata' || prop === 'list')
          reads += Array.isArray(args[0]) ? args[0].length : 1;
        if (prop === 'put' || prop === 'delete') writes++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv: wrapped, reads: () => reads, writes: () => writes };
}

/** The real KV namespace of the test worker (test/setup.ts empties it before each test). */
export const STATE = (env as unknown as Env).STATE;

export class Harness {
  readonly slack = new RecordingSink();
  readonly discord = new RecordingSink();
  readonly hook = new RecordingSink();
  readonly counted = countingKv(STATE);
  readonly logLines: string[] = [];
  readonly config: Config;
  tick = -1;
  previous: Snapshot | null = null;
  history: Snapshot[] = [];
  budgetLimit = 50;

  constructor(configOverrides: Partial<Env> = {}, options: { allowProblems?: boolean } = {}) {
    this.config = makeConfig(configOverrides, options);
    routeOutbound({
      'slack.sink': this.slack.fetch,
      'discord.sink': this.discord.fetch,
      'hook.sink': this.hook.fetch,
    });
  }

  /** Runs the next tick with a snapshot built from `options` (percent, sweep, …). */
  async next(options: SnapshotOptions = {}): Promise<AlertingReport> {
    this.tick = options.tick ?? this.tick + 1;
    return this.run(snapshot({ ...options, tick: this.tick }));
  }

  async run(current: Snapshot, nowMs = current.scheduled_time): Promise<AlertingReport> {
    const readsBefore = this.counted.reads();
    const writesBefore = this.counted.writes();
    const report = await runAlerting({
      kv: this.counted.kv,
      config: this.config,
      log: createLogger({ secrets: this.config.secretValues, sink: (line) => this.logLines.push(line) }),
      current,
      previous: this.previous,
      history: this.history,
      budget: new SubrequestBudget(this.budgetLimit),
      nowMs,
      sleep: async () => {},
    });
    // The engine's own accounting must match what really reached KV.
    if (
      report.kvReads !== this.counted.reads() - readsBefore ||
      report.kvWrites !== this.counted.writes() - writesBefore
    ) {
      throw new Error(
        `KV accounting is off: reported ${report.kvReads}/${report.kvWrites}, ` +
          `counted ${this.counted.reads() - readsBefore}/${this.counted.writes() - writesBefore}`,
      );
    }
    this.history.push(current);
    this.previous = current;
    return report;
  }

  /** Messages each sink accepted (2xx), as parsed JSON. */
  delivered(sink: RecordingSink): unknown[] {
    return sink.requests.map((r) => JSON.parse(r.body) as unknown);
  }

  /** Slack headers of every request, in order. */
  slackHeadlines(): string[] {
    return this.slack.requests.map(
      (r) => (JSON.parse(r.body) as { text: string }).text.split(' — ')[0] ?? '',
    );
  }

  discordTitles(): string[] {
    return this.discord.requests.map(
      (r) => (JSON.parse(r.body) as { embeds: { title: string }[] }).embeds[0]?.title ?? '',
    );
  }

  hookTypes(): string[] {
    return this.hook.requests.map((r) => {
      const body = JSON.parse(r.body) as { type: string; data: { transition: string } };
      return `${body.type}/${body.data.transition}`;
    });
  }
}
