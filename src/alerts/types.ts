/** Shapes shared by the rules, the lifecycle, the engine and the notifiers. */
import type { Field, Severity } from '../model/notification';

export type RuleName =
  | 'bandwidth'
  | 'projection'
  | 'invalid_proxies'
  | 'failure_rate'
  | 'refreshes_exhausted'
  | 'replacements_exhausted'
  | 'subscription_ending'
  | 'subuser_usage'
  | 'webshare_unreachable'
  | 'webshare_auth';

/** A rule's verdict for one alert key this tick. */
export interface Evaluation {
  key: string;
  rule: RuleName;
  /**
   * firing: the condition holds (with hysteresis applied). ok: it does not. unknown: the data to
   * decide is missing this tick (a failed upstream call, no new sweep), so the alert keeps its state.
   */
  status: 'firing' | 'ok' | 'unknown';
  /** Escalation step, 1-based (bandwidth 80/90/100 % are 1/2/3); 1 for single-step rules. */
  level: number;
  severity: Severity;
  /** Short title, e.g. "Bandwidth at 91.2%". */
  title: string;
  /** One or two plain-text sentences, specific and link-free. */
  summary: string;
  fields: Field[];
  /** Rendered as a usage bar by Slack (and a field elsewhere). */
  usage?: { percent: number };
  /** Machine-readable values for the webhook event. */
  values: Record<string, number | string | null>;
  /** Ticks the condition must hold beyond the first before firing; overrides `pending_ticks`. */
  forTicks?: number;
}
