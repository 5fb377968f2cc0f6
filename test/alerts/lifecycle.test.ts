import { describe, expect, it } from 'vitest';
import {
  stepLifecycle,
  type AlertRecord,
  type LifecycleInput,
  type Transition,
} from '../../src/alerts/lifecycle';
import type { Evaluation } from '../../src/alerts/types';
import type { Channel } from '../../src/model/notification';

const MIN = 60_000;

function firing(level = 1, key = 'bandwidth', extra: Partial<Evaluation> = {}): Evaluation {
  return {
    key,
    rule: 'bandwidth',
    status: 'firing',
    level,
    severity: level >= 3 ? 'critical' : 'warning',
    title: `level ${level}`,
    summary: `summary ${level}`,
    fields: [],
    values: {},
    ...extra,
  };
}
const ok = (key = 'bandwidth'): Evaluation => ({ ...firing(0, key), status: 'ok' });
const unknown = (key = 'bandwidth'): Evaluation => ({ ...firing(0, key), status: 'unknown' });

/** Drives the state machine tick by tick with an injected clock (5-minute ticks). */
class Machine {
  records: Record<string, AlertRecord> = {};
  tick = 0;
  silenced = new Set<string>();
  constructor(private readonly options: Partial<LifecycleInput> = {}) {}

  step(...evaluations: Evaluation[]): Transition[] {
    this.tick++;
    const out = stepLifecycle({
      records: this.records,
      evaluations,
      held: [],
      tick: this.tick * 5 * MIN,
      nowMs: this.tick * 5 * MIN,
      pendingTicks: 0,
      repeatIntervalMs: 240 * MIN,
      isSilenced: (key) => this.silenced.has(key),
      channelsFor: (severity): Channel[] => (severity === 'critical' ? ['slack', 'discord'] : ['slack']),
      ...this.options,
    });
    this.records = out.records;
    return out.transitions;
  }

  kinds(...evaluations: Evaluation[]): string[] {
    return this.step(...evaluations).map((t) => `${t.kind}:${t.level}`);
  }
}

describe('alert lifecycle', () => {
  it('announces firing once, then nothing while it holds', () => {
    const m = new Machine();
    expect(m.kinds(firing(1))).toEqual(['firing:1']);
    expect(m.kinds(firing(1))).toEqual([]);
    expect(m.kinds(firing(1))).toEqual([]);
  });

  it('escalates one message per step, and a jump straight to the top is one message', () => {
    const stepwise = new Machine();
    expect([firing(1), firing(2), firing(3)].flatMap((e) => stepwise.kinds(e))).toEqual([
      'firing:1',
      'escalated:2',
      'escalated:3',
    ]);
    const jump = new Machine();
    expect(jump.kinds(firing(3))).toEqual(['firing:3']);
    expect(jump.kinds(firing(3))).toEqual([]);
  });

  it('does not re-announce a step it already announced after stepping down', () => {
    const m = new Machine();
    expect([firing(2), firing(1), firing(2), firing(3)].flatMap((e) => m.kinds(e))).toEqual([
      'firing:2',
      'escalated:3',
    ]);
  });

  it('resolves once, to every channel that heard about it', () => {
    const m = new Machine();
    m.step(firing(1));
    m.step(firing(3));
    const [resolved, ...rest] = m.step(ok());
    expect(rest).toEqual([]);
    expect(resolved).toMatchObject({
      kind: 'resolved',
      channels: ['slack', 'discord'],
      previousTitle: 'level 3',
    });
    expect(m.kinds(ok())).toEqual([]);
    expect(m.records).toEqual({});
  });

  it('numbers the transitions of an incident so each has its own id', () => {
    const m = new Machine();
    const seqs = [firing(1), firing(2), ok()].flatMap((e) => m.step(e).map((t) => [t.since, t.seq]));
    expect(seqs).toEqual([
      [5 * MIN, 0],
      [5 * MIN, 1],
      [5 * MIN, 2],
    ]);
    // A new incident starts a new `since`.
    expect(m.step(firing(1)).map((t) => [t.since, t.seq])).toEqual([[20 * MIN, 0]]);
  });

  it('waits `pending_ticks` extra ticks before firing and never announces a condition that cleared while pending', () => {
    const m = new Machine({ pendingTicks: 2 });
    expect(m.kinds(firing(1))).toEqual([]);
    expect(m.records.bandwidth?.status).toBe('pending');
    expect(m.kinds(firing(1))).toEqual([]);
    expect(m.kinds(firing(1))).toEqual(['firing:1']);

    const cleared = new Machine({ pendingTicks: 2 });
    cleared.step(firing(1));
    expect(cleared.kinds(ok())).toEqual([]);
    expect(cleared.records).toEqual({});
  });

  it('lets a rule ask for its own `for` (the watchdog)', () => {
    const m = new Machine();
    const down = firing(1, 'webshare_unreachable', { forTicks: 2, rule: 'webshare_unreachable' });
    expect([down, down, down].flatMap((e) => m.kinds(e))).toEqual(['firing:1']);
    expect(m.tick).toBe(3);
  });

  it('reminds every repeat interval while firing (injected clock)', () => {
    const m = new Machine({ repeatIntervalMs: 15 * MIN });
    const kinds = Array.from({ length: 7 }, () => m.kinds(firing(1))).flat();
    expect(kinds).toEqual(['firing:1', 'reminder:1', 'reminder:1']); // ticks 1, 4, 7
  });

  it('keeps the state on an unknown verdict', () => {
    const m = new Machine();
    m.step(firing(2));
    const before = m.records;
    expect(m.kinds(unknown())).toEqual([]);
    expect(m.records).toEqual(before);
    expect(m.kinds(ok())).toEqual(['resolved:0']);
  });

  it('resolves keys no rule reports any more, unless their rule is held', () => {
    const m = new Machine();
    m.step(firing(1, 'subuser:7', { rule: 'subuser_usage' }));
    const held = stepLifecycle({
      records: m.records,
      evaluations: [],
      held: ['subuser_usage'],
      tick: 0,
      nowMs: 0,
      pendingTicks: 0,
      repeatIntervalMs: 1,
      isSilenced: () => false,
      channelsFor: () => ['slack'],
    });
    expect(held.transitions).toEqual([]);
    expect(Object.keys(held.records)).toEqual(['subuser:7']);
    expect(m.kinds()).toEqual(['resolved:0']);
  });

  it('stays quiet while silenced, announces when the silence ends, and never resolves the unannounced', () => {
    const m = new Machine();
    m.silenced.add('bandwidth');
    expect(m.kinds(firing(1))).toEqual([]);
    expect(m.records.bandwidth?.status).toBe('firing');
    expect(m.kinds(ok())).toEqual([]); // never announced: no resolved message

    m.step(firing(1));
    m.silenced.clear();
    expect(m.kinds(firing(2))).toEqual(['firing:2']);
  });

  it('sends nothing for an alert whose severity routes to no channel, and no resolved later', () => {
    const m = new Machine({ channelsFor: () => [] });
    const [t] = m.step(firing(1));
    expect(t?.channels).toEqual([]);
    expect(m.kinds(ok())).toEqual([]);
  });
});
