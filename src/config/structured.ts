/**
 * The zod schemas of the structured vars (ALERTS, PLANS, REMEDIATION, DIGEST), as one module that
 * ../config.ts loads only when one of them is set: a deployment that leaves them unset never loads zod
 * on its cron ticks (docs/performance.md, "The cold tick").
 */
import { alertsConfigSchema } from './alerts';
import { digestConfigSchema, digestInput } from './digest';
import { plansSchema } from './plans';
import { remediationConfigSchema } from './remediation';

export const STRUCTURED_SCHEMAS = {
  alerts: alertsConfigSchema,
  plans: plansSchema,
  remediation: remediationConfigSchema,
  digest: digestConfigSchema,
  digestInput,
};

export type StructuredSchemas = typeof STRUCTURED_SCHEMAS;
