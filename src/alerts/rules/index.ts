/**
 * Alert rules: pure functions of (previous snapshot, current snapshot, history, config, the level each
 * alert currently holds). Each returns an Evaluation per alert key: firing, ok, or unknown (the data to
 * decide is missing this tick, so the alert keeps its state — a failed stats call never "resolves"
 * a bandwidth alert). Hysteresis lives here: an active alert stays at a step until the metric falls
 * below that step's threshold minus the configured margin.
 */
import type { Evaluation, RuleName } from '../types';
import { invalidProxiesRule, failureRateRule } from './proxies';
import {
  refreshesRule,
  replacementsRule,
  subscriptionEndingRule,
  subuserRules,
  watchdogRules,
} from './account';
import type { RuleInput } from './shared';
import { bandwidthRule, projectionRule } from './usage';

export { forecastRate } from './usage';
export { resolvedText } from './resolved-text';
export { stepWithHysteresis, type RuleInput } from './shared';

export interface RuleOutput {
  evaluations: Evaluation[];
  /** Rules whose keys were not evaluated this tick (their data is missing): every such alert holds. */
  held: RuleName[];
}

/** Evaluates every rule. */
export function evaluateRules(input: RuleInput): RuleOutput {
  const evaluations: Evaluation[] = [
    bandwidthRule(input),
    projectionRule(input),
    invalidProxiesRule(input),
    failureRateRule(input),
    refreshesRule(input),
    replacementsRule(input),
    subscriptionEndingRule(input),
    ...watchdogRules(input),
  ];
  const held: RuleName[] = [];
  if (input.current.subusers === null) held.push('subuser_usage');
  else evaluations.push(...subuserRules(input));
  return { evaluations, held };
}
