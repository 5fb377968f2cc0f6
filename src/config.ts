/**
 * Reads every var and secret from the Worker env in one place, once per invocation.
 * Secrets stay optional here; the code that needs one calls `requireSecret`, which fails closed with
 * a message naming the variable (never its value). Structured vars (ALERTS, PLANS) are accepted as a
 * TOML table or a JSON string; an invalid one is reported in `problems`, never silently ignored.
 */
import type * as z from 'zod';
import { AlertsConfigSchema, type AlertsConfig } from './config/alerts';
import type { Env } from './env';
import { PlansSchema, type Plans } from './config/plans';
import { RemediationConfigSchema, type RemediationConfig } from './config/remediation';

export const DEFAULT_WEBSHARE_API_BASE_URL = 'https://proxy.webshare.io';
export const DEFAULT_SUBREQUEST_BUDGET = 50;
export const DEFAULT_HISTORY_RETENTION_DAYS = 30;

export const SECRET_NAMES = [
  'WEBSHARE_API_KEY',
  'ADMIN_TOKEN',
  'ADMIN_READ_TOKEN',
  'ALERT_WEBHOOK_SECRET',
  'SLACK_SIGNING_SECRET',
  'SIGNUP_WEBHOOK_SECRET',
  'STRIPE_WEBHOOK_SECRET',
  'SLACK_WEBHOOK_URL',
  'DISCORD_WEBHOOK_URL',
  'ALERT_WEBHOOK_URL',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

export interface Config {
  webshareApiKey: string | undefined;
  webshareBaseUrl: string;
  adminToken: string | undefined;
  adminReadToken: string | undefined;
  slack: { webhookUrl: string | undefined; signingSecret: string | undefined; allowedUsers: string[] };
  discord: {
    webhookUrl: string | undefined;
    publicKey: string | undefined;
    applicationId: string | undefined;
    allowedUsers: string[];
  };
  alertWebhook: { url: string | undefined; secret: string | undefined };
  signupWebhookSecret: string | undefined;
  stripeWebhookSecret: string | undefined;
  alerts: AlertsConfig;
  /** null when PLANS is unset or invalid: provisioning refuses rather than guess. */
  plans: Plans | null;
  /** Auto-remediation (REMEDIATION); off when unset or invalid. */
  remediation: RemediationConfig;
  subrequestBudget: number;
  historyRetentionDays: number;
  /** Cap on proxy-list pages one tick sweeps (null: as many as the budget allows). */
  sweepPagesPerTick: number | null;
  publicUrl: string | undefined;
  /** Every invalid var, by name, with what is wrong (never the value). */
  problems: ConfigProblem[];
  /** Every secret value, so logs and error bodies can be scrubbed of them. */
  secretValues: string[];
}

/**
 * The config of an env, parsed once per isolate: workerd hands an isolate's requests the same `env`
 * object, and its values change only with a new deployment (a new isolate). The cache is keyed by that
 * object (weakly: tests build many envs, each gets its own parse) and checked against the values it was
 * parsed from, by identity, so an env changed in place is parsed again instead of served stale.
 * Treat the result as read-only: it is shared by every request of the isolate.
 */
export function configFor(env: Env): Config {
  const cached = parsedConfigs.get(env);
  if (cached && sameValues(cached.values, env)) return cached.config;
  const config = loadConfig(env);
  parsedConfigs.set(env, { config, values: Object.entries(env) });
  return config;
}

const parsedConfigs = new WeakMap<Env, { config: Config; values: [string, unknown][] }>();

function sameValues(values: [string, unknown][], env: Env): boolean {
  if (Object.keys(env).length !== values.length) return false;
  return values.every(([name, value]) => (env as unknown as Record<string, unknown>)[name] === value);
}

/** Parses the env. Never throws: invalid values are reported in `problems` and fall back to safe defaults. */
export function loadConfig(env: Env): Config {
  const problems: ConfigProblem[] = [];
  const secret = (name: keyof Env): string | undefined => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };

  const webshareBaseUrl = parseOrigin('WEBSHARE_API_BASE_URL', secret('WEBSHARE_API_BASE_URL'), problems);
  const alerts =
    parseStructured('ALERTS', env.ALERTS, AlertsConfigSchema, problems) ?? AlertsConfigSchema.parse({});
  const plans =
    env.PLANS === undefined || env.PLANS === ''
      ? null
      : parseStructured('PLANS', env.PLANS, PlansSchema, problems);
  // An invalid REMEDIATION falls back to the defaults, which are off: never act on a half-read config.
  const remediation =
    parseStructured('REMEDIATION', env.REMEDIATION, RemediationConfigSchema, problems) ??
    RemediationConfigSchema.parse({});

  const config: Config = {
    webshareApiKey: secret('WEBSHARE_API_KEY'),
    webshareBaseUrl,
    adminToken: secret('ADMIN_TOKEN'),
    adminReadToken: secret('ADMIN_READ_TOKEN'),
    slack: {
      webhookUrl: parseUrl('SLACK_WEBHOOK_URL', secret('SLACK_WEBHOOK_URL'), problems),
      signingSecret: secret('SLACK_SIGNING_SECRET'),
      allowedUsers: parseList(secret('SLACK_ALLOWED_USERS')),
    },
    discord: {
      webhookUrl: parseUrl('DISCORD_WEBHOOK_URL', secret('DISCORD_WEBHOOK_URL'), problems),
      publicKey: secret('DISCORD_PUBLIC_KEY'),
      applicationId: secret('DISCORD_APPLICATION_ID'),
      allowedUsers: parseList(secret('DISCORD_ALLOWED_USERS')),
    },
    alertWebhook: {
      url: parseUrl('ALERT_WEBHOOK_URL', secret('ALERT_WEBHOOK_URL'), problems),
      secret: secret('ALERT_WEBHOOK_SECRET'),
    },
    signupWebhookSecret: secret('SIGNUP_WEBHOOK_SECRET'),
    stripeWebhookSecret: secret('STRIPE_WEBHOOK_SECRET'),
    alerts,
    plans,
    remediation,
    subrequestBudget: parsePositiveInt(
      'SUBREQUEST_BUDGET',
      env.SUBREQUEST_BUDGET,
      DEFAULT_SUBREQUEST_BUDGET,
      problems,
    ),
    sweepPagesPerTick:
      env.SWEEP_PAGES_PER_TICK === undefined || env.SWEEP_PAGES_PER_TICK === ''
        ? null
        : parsePositiveInt('SWEEP_PAGES_PER_TICK', env.SWEEP_PAGES_PER_TICK, 1, problems),
    historyRetentionDays: parsePositiveInt(
      'HISTORY_RETENTION_DAYS',
      env.HISTORY_RETENTION_DAYS,
      DEFAULT_HISTORY_RETENTION_DAYS,
      problems,
    ),
    publicUrl: parseUrl('PUBLIC_URL', secret('PUBLIC_URL'), problems),
    problems,
    secretValues: SECRET_NAMES.map((name) => secret(name)).filter((v): v is string => v !== undefined),
  };
  if (config.alertWebhook.url && !config.alertWebhook.secret) {
    problems.push({
      variable: 'ALERT_WEBHOOK_SECRET',
      message: 'ALERT_WEBHOOK_URL is set but ALERT_WEBHOOK_SECRET is not',
    });
  }
  return config;
}

/** Returns a secret's value, or throws a ConfigError naming the variable. */
export function requireSecret<T extends string | undefined>(value: T, variable: string): string {
  if (value === undefined || value === '') {
    throw new ConfigError(variable, `${variable} is not set`);
  }
  return value;
}

function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseOrigin(variable: string, value: string | undefined, problems: ConfigProblem[]): string {
  if (value === undefined) return DEFAULT_WEBSHARE_API_BASE_URL;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url.origin;
  } catch {
    problems.push({
      variable,
      message: `${variable} is not an http(s) URL; using ${DEFAULT_WEBSHARE_API_BASE_URL}`,
    });
    return DEFAULT_WEBSHARE_API_BASE_URL;
  }
}

function parseUrl(
  variable: string,
  value: string | undefined,
  problems: ConfigProblem[],
): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url.toString();
  } catch {
    // The URL itself may embed a token (Slack and Discord webhook URLs do), so it is never echoed.
    problems.push({ variable, message: `${variable} is not an http(s) URL; the channel stays off` });
    return undefined;
  }
}

function parsePositiveInt(
  variable: string,
  value: string | number | undefined,
  fallback: number,
  problems: ConfigProblem[],
): number {
  if (value === undefined || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    problems.push({ variable, message: `${variable} must be a whole number above 0; using ${fallback}` });
    return fallback;
  }
  return number;
}

/** Accepts an object (TOML table) or a JSON string, validates it, and reports problems by path. */
export function parseStructured<T extends z.ZodType>(
  variable: string,
  value: unknown,
  schema: T,
  problems: ConfigProblem[],
): z.output<T> | null {
  let input: unknown = value ?? {};
  if (typeof value === 'string') {
    if (value.trim() === '') input = {};
    else {
      try {
        input = JSON.parse(value);
      } catch {
        // Not the parser's message: V8 quotes the input around the error, and /healthz is public.
        problems.push({ variable, message: `${variable} is not valid JSON` });
        return null;
      }
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length ? `${variable}.${issue.path.join('.')}` : variable;
      problems.push({ variable, message: `${where}: ${issue.message}` });
    }
    return null;
  }
  return parsed.data;
}
