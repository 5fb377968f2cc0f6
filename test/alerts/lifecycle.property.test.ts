import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERTS_CONFIG } from '../../src/config/defaults';
import { stepLifecycle, type AlertRecord } from '../../src/alerts/lifecycle';
import { evaluateRules } from '../../src/alerts/rules';
import { snapshot } from './snapshot-builder';

/** Runs the real rules and lifecycle over a series of bandwidth percentages; returns the messages. */
function walk(
  percents: number[],
  silencedTicks: Set<number> = new Set(),
): { kind: string; level: number; tick: number }[] {
  let records: Record<string, AlertRecord> = {};
  const out: { kind: string; level: number; tick: number }[] = [];
  let previous = null;
  for (const [tick, percent] of percents.entries()) {
    const current = snapshot({ tick, percent });
    const prior = Object.fromEntries(Object.values(records).map((r) => [r.key, r.level]));
    const { evaluations, held } = evaluateRules({
      current,
      previous,
      history: [],
      config: DEFAULT_ALERTS_CONFIG,
      prior,
    });
    const step = stepLifecycle({
      records,
      evaluations: evaluations.filter((e) => e.key === 'bandwidth'),
      held,
      tick: current.scheduled_time,
      nowMs: current.scheduled_time,
      pendingTicks: 0,
      repeatIntervalMs: Number.POSITIVE_INFINITY,
      isSilenced: () => silencedTicks.has(tick),
      channelsFor: () => ['slack'],
    });
    records = step.records;
    out.push(...step.transitions.map((t) => ({ kind: t.kind, level: t.level, tick })));
    previous = current;
  }
  return out;
}

/**
 * Fixed, like the fuzz suite's, so CI is reproducible; PROPERTY_SEED explores other series locally
 * (PROPERTY_SEED=$RANDOM npx vitest run test/alerts/lifecycle.property.test.ts).
 */
const SEED = Number(process.env.PROPERTY_SEED ?? 0x2f6e2b1);

const percents = fc.array(fc.double({ min: 0, max: 130, noNaN: true }), { maxLength: 60 });

describe('lifecycle properties (rules + state machine, random usage series)', () => {
  it('each incident is one firing, strictly rising escalations, then at most one resolved', () => {
    fc.assert(
      fc.property(percents, fc.array(fc.nat(60), { maxLength: 20 }), (series, silenced) => {
        const silencedTicks = new Set(silenced);
        const messages = walk(series, silencedTicks);
        let open = false;
        let level = 0;
        let lastTick = -1;
        for (const m of messages) {
          if (m.kind === 'firing') {
            // A silence swallows the resolved message too, so an incident may end unannounced during
            // one; a new firing after such a silence is a new incident, not a repeat.
            const silencedBetween = [...silencedTicks].some((t) => t > lastTick && t < m.tick);
            expect(open && level > 0 && !silencedBetween ? 'firing while announced' : 'ok').toBe('ok');
            open = true;
            level = m.level;
          } else if (m.kind === 'escalated') {
            expect(open).toBe(true);
            expect(m.level).toBeGreaterThan(level);
            level = m.level;
          } else if (m.kind === 'resolved') {
            expect(open).toBe(true); // never resolved without having been announced
            open = false;
            level = 0;
          }
          lastTick = m.tick;
        }
      }),
      // The first series fast-check found: fired, cleared while silenced (no resolved), fired again.
      { numRuns: 300, seed: SEED, examples: [[[79.99999999906868, 0, 79.99999999906868], [1]]] },
    );
  });

  it('a metric wobbling less than the hysteresis margin around a threshold never flaps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(80, 90, 100),
        fc.array(fc.double({ min: -4.9, max: 4.9, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (threshold, wiggles) => {
          const messages = walk(wiggles.map((w) => threshold + w));
          // Never resolved, never a step twice: at most the step below and the threshold's own step.
          expect(messages.filter((m) => m.kind === 'resolved')).toEqual([]);
          expect(messages.length).toBeLessThanOrEqual(threshold === 80 ? 1 : 2);
          const levels = messages.map((m) => m.level);
          expect(levels).toEqual([...new Set(levels)].sort());
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });
});
