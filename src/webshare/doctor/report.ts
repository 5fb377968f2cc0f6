/**
 * What the doctor reports: one finding per assumption of docs/webshare-api.md ("Assumptions a live v2
 * key should confirm"), each `confirmed`, `contradicted` or `not checkable read-only`, with what was
 * seen. Findings never hold a secret: where two credentials must be compared, they show fingerprints.
 */
import { sha256Hex } from '../../lib/crypto';
import type { WebshareDialect } from '../../model/dialect';
import { WebshareError } from '../errors';

export const VERDICTS = ['confirmed', 'contradicted', 'not checkable read-only'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The assumptions, in the docs' order, by the short name the report prints. */
export const ASSUMPTIONS = [
  'v2-probe',
  'gb-unit',
  'page-size',
  'list-filters',
  'x-subuser',
  'stats-window',
  'retry-after',
  'error-codes',
  'parallel-replacements',
  'refresh-exhausted',
  'create-status',
] as const;
export type AssumptionName = (typeof ASSUMPTIONS)[number];

export interface Finding {
  /** The assumption's number in docs/webshare-api.md. */
  item: number;
  name: AssumptionName;
  verdict: Verdict;
  seen: string;
  /** True when a read failed, so the assumption could not be judged (the key, an outage). */
  read_failed?: true;
}

export interface DoctorReport {
  dialect: WebshareDialect;
  /** `probe`: WEBSHARE_API_VERSION (or --api) was auto; `config`: the dialect was given. */
  dialect_source: 'probe' | 'config';
  findings: Finding[];
  summary: { confirmed: number; contradicted: number; not_checkable: number; read_failures: number };
  /** Requests sent to Webshare, every one a GET. */
  requests: number;
}

export function finding(name: AssumptionName, verdict: Verdict, seen: string): Finding {
  return { item: ASSUMPTIONS.indexOf(name) + 1, name, verdict, seen };
}

/** A check whose read failed cannot judge its assumption; the failure (method, path, status) is what it saw. */
export async function judged(name: AssumptionName, check: () => Promise<Finding>): Promise<Finding> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof WebshareError)) throw error;
    return {
      ...finding(name, 'not checkable read-only', `a read failed: ${error.message}`),
      read_failed: true,
    };
  }
}

export function summarise(findings: Finding[]): DoctorReport['summary'] {
  const count = (verdict: Verdict) => findings.filter((f) => f.verdict === verdict).length;
  return {
    confirmed: count('confirmed'),
    contradicted: count('contradicted'),
    not_checkable: count('not checkable read-only'),
    read_failures: findings.filter((f) => f.read_failed).length,
  };
}

/** The first 8 hex digits of a value's SHA-256: enough to tell two credentials apart, nothing to use. */
export async function fingerprint(value: string): Promise<string> {
  return (await sha256Hex(value)).slice(0, 8);
}
