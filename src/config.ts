/**
 * Reads every var and secret from the Worker env in one place, once per invocation.
 * Secrets stay optional here; the code that needs one calls `requireSecret`, which fails closed with
 * a message naming the variable (never its value). Structured vars (ALERTS, PLANS) are accepted as a
 * TOML table or a JSON string; an invalid one is reported in `problems`, never silently ignored.
 */
import type * as z from 'zod';
import type { AlertsConfig } from './config/alerts';
import { DEFAULT_ALERTS_CONFIG, DEFAULT_DIGEST_CONFIG, DEFAULT_REMEDIATION_CONFIG } from './config/defaults';
import type { DigestConfig } from './config/digest';
import type { Env } from './env';
import { LOG_LEVELS, type LogLevel } from './lib/log';
import { DIALECT_SETTINGS, type DialectSetting } from './model/dialect';
import { insecureTransportReason } from './lib/transport';
import type { Plans } from './config/plans';
import type { RemediationConfig } from './config/remediation';
import type { StructuredSchemas } from './config/structured';

export const DEFAULT_WEBSHARE_API_BASE_URL = 'https://proxy.webshare.io';
export const DEFAULT_DISCORD_API_BASE_URL = 'https://discord.com/api/v10';
/**
 * Bearer tokens (ADMIN_TOKEN, ADMIN_READ_TOKEN, METRICS_TOKEN) shorter than this are refused: 24 random
 * characters are out of reach of guessing.
 */
export const MIN_ADMIN_TOKEN_LENGTH = 24;
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
  'METRICS_TOKEN',
] as const;

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
  /** WEBSHARE_API_VERSION: a fixed dialect, or `auto` (probe v2 once, keep the answer in KV). */
  dialect: DialectSetting;
  adminToken: string | undefined;
  adminReadToken: string | undefined;
  /** Bearer token for GET /metrics only (ADMIN_TOKEN and ADMIN_READ_TOKEN are accepted too). */
  metricsToken: string | undefined;
  slack: {
    webhookUrl: string | undefined;
    signingSecret: string | undefined;
    allowedUsers: string[];
    /** SLACK_ALLOWED_TEAMS: workspace (or Enterprise Grid org) ids chat-ops answers; empty: any. */
    allowedTeams: string[];
  };
  discord: {
    webhookUrl: string | undefined;
    publicKey: string | undefined;
    applicationId: string | undefined;
    allowedUsers: string[];
    /** DISCORD_ALLOWED_GUILDS: server ids chat-ops answers (never DMs when set); empty: any. */
    allowedGuilds: string[];
    /** Where interaction follow-ups go (DISCORD_API_BASE_URL). */
    apiBaseUrl: string;
  };
  alertWebhook: { url: string | undefined; secret: string | undefined };
  signupWebhookSecret: string | undefined;
  stripeWebhookSecret: string | undefined;
  alerts: AlertsConfig;
  /** null when PLANS is unset or invalid: provisioning refuses rather than guess. */
  plans: Plans | null;
  /** Auto-remediation (REMEDIATION); off when unset or invalid. */
  remediation: RemediationConfig;
  /** The scheduled digest (DIGEST); off when unset or invalid. */
  digest: DigestConfig;
  subrequestBudget: number;
  historyRetentionDays: number;
  /** Cap on proxy-list pages one tick sweeps (null: as many as the budget allows). */
  sweepPagesPerTick: number | null;
  /** LOG_LEVEL: lines below it are not written. */
  logLevel: LogLevel;
  publicUrl: string | undefined;
  /** `<PUBLIC_URL>/dashboard`, linked from every notification; undefined without PUBLIC_URL. */
  dashboardUrl: string | undefined;
  /** Every invalid var, by name, with what is wrong (never the value). */
  problems: ConfigProblem[];
  /** Every secret value, so logs and error bodies can be scrubbed of them. */
  secretValues: string[];
  /**
   * The RATE_GATE binding (not a variable): carried here so every Webshare client built from the
   * config (webshare/open.ts) shares the account's rate gate. Absent: each invocation limits itself.
   */
  rateGate?: Env['RATE_GATE'];
}

/**
 * The config of an env, parsed once per isolate: workerd hands an isolate's requests the same `env`
 * object, and its values change only with a new deployment (a new isolate). The cache is keyed by that
 * object (weakly: tests build many envs, each gets its own parse) and checked against the values it was
 * parsed from, by identity, so an env changed in place is parsed again instead of served stale.
 * Treat the result as read-only: it is shared by every request of the isolate.
 */
export function configFor(env: Env): Promise<Config> {
  const cached = parsedConfigs.get(env);
  if (cached && sameValues(cached.values, env)) return cached.config;
  const config = loadConfig(env);
  parsedConfigs.set(env, { config, values: Object.entries(env) });
  return config;
}

const parsedConfigs = new WeakMap<Env, { config: Promise<Config>; values: [string, unknown][] }>();

function sameValues(values: [string, unknown][], env: Env): boolean {
  if (Object.keys(env).length !== values.length) return false;
  return values.every(([name, value]) => (env as unknown as Record<string, unknown>)[name] === value);
}

/**
 * Parses the env. Never rejects: invalid values are reported in `problems` and fall back to safe
 * defaults. Asynchronous because the structured vars' zod schemas are loaded only when one is set.
 */
export async function loadConfig(env: Env): Promise<Config> {
  const anySet = Object.values(structuredVarsSet(env)).some(Boolean);
  return parseConfig(env, anySet ? (await import('./config/structured')).STRUCTURED_SCHEMAS : undefined);
}

/**
 * Which structured vars are read through their schema; the rest take their defaults. One answer for
 * loadConfig (which loads the schemas) and parseConfig (which uses them). PLANS is read even when
 * blank (an empty table); the others take their defaults when blank.
 */
function structuredVarsSet(env: Env) {
  return {
    alerts: !unset(env.ALERTS),
    plans: env.PLANS !== undefined && env.PLANS !== '',
    remediation: !unset(env.REMEDIATION),
    digest: !unset(env.DIGEST),
  };
}

/** loadConfig with the structured vars' schemas at hand (required when any of them is set). */
export function parseConfig(env: Env, structured: StructuredSchemas | undefined): Config {
  const problems: ConfigProblem[] = [];
  const secret = (name: keyof Env): string | undefined => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };

  const webshareBaseUrl = parseBaseUrl(
    'WEBSHARE_API_BASE_URL',
    secret('WEBSHARE_API_BASE_URL'),
    DEFAULT_WEBSHARE_API_BASE_URL,
    problems,
    (url) => url.origin,
  );
  // An unset structured var takes its written-out defaults: only a set one needs its zod schema.
  const set = structuredVarsSet(env);
  const schemas = (): StructuredSchemas => {
    if (!structured) throw new Error('a structured var is set but its schemas were not loaded');
    return structured;
  };
  const alerts =
    (set.alerts ? parseStructured('ALERTS', env.ALERTS, schemas().alerts(), problems) : null) ??
    structuredClone(DEFAULT_ALERTS_CONFIG);
  const plans = set.plans ? parseStructured('PLANS', env.PLANS, schemas().plans(), problems) : null;
  // An invalid REMEDIATION falls back to the defaults, which are off: never act on a half-read config.
  const remediation = (set.remediation
    ? parseStructured('REMEDIATION', env.REMEDIATION, schemas().remediation(), problems)
    : null) ?? { ...DEFAULT_REMEDIATION_CONFIG };
  // An invalid DIGEST is reported and leaves the digest off.
  const digest = (set.digest
    ? parseStructured('DIGEST', schemas().digestInput(env.DIGEST), schemas().digest(), problems)
    : null) ?? { ...DEFAULT_DIGEST_CONFIG };
  const publicUrl = parsePublicUrl(secret('PUBLIC_URL'), problems);

  const config: Config = {
    webshareApiKey: secret('WEBSHARE_API_KEY'),
    webshareBaseUrl,
    adminToken: parseBearerToken('ADMIN_TOKEN', secret('ADMIN_TOKEN'), problems),
    adminReadToken: parseBearerToken('ADMIN_READ_TOKEN', secret('ADMIN_READ_TOKEN'), problems),
    // /metrics shows usage, alerts and customer ids: its token is held to the admin tokens' length.
    metricsToken: parseBearerToken('METRICS_TOKEN', secret('METRICS_TOKEN'), problems),
    // An unknown value falls back to `auto`, which still finds a dialect that answers.
    dialect: parseChoice(
      'WEBSHARE_API_VERSION',
      env.WEBSHARE_API_VERSION,
      DIALECT_SETTINGS,
      'auto',
      problems,
    ),
    slack: {
      webhookUrl: parseUrl('SLACK_WEBHOOK_URL', secret('SLACK_WEBHOOK_URL'), problems),
      signingSecret: secret('SLACK_SIGNING_SECRET'),
      allowedUsers: parseList(secret('SLACK_ALLOWED_USERS')),
      allowedTeams: parseList(secret('SLACK_ALLOWED_TEAMS')),
    },
    discord: {
      webhookUrl: parseUrl('DISCORD_WEBHOOK_URL', secret('DISCORD_WEBHOOK_URL'), problems),
      publicKey: secret('DISCORD_PUBLIC_KEY'),
      applicationId: secret('DISCORD_APPLICATION_ID'),
      allowedUsers: parseList(secret('DISCORD_ALLOWED_USERS')),
      allowedGuilds: parseList(secret('DISCORD_ALLOWED_GUILDS')),
      apiBaseUrl: parseBaseUrl(
        'DISCORD_API_BASE_URL',
        secret('DISCORD_API_BASE_URL'),
        DEFAULT_DISCORD_API_BASE_URL,
        problems,
        (url) => url.toString().replace(/\/+$/, ''),
      ),
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
    digest,
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
    logLevel: parseChoice('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info', problems),
    publicUrl,
    dashboardUrl: publicUrl && dashboardUrlFor(publicUrl),
    problems,
    secretValues: SECRET_NAMES.map((name) => secret(name)).filter((v): v is string => v !== undefined),
    rateGate: env.RATE_GATE,
  };
  if (config.alertWebhook.url && !config.alertWebhook.secret) {
    problems.push({
      variable: 'ALERT_WEBHOOK_SECRET',
      message: 'ALERT_WEBHOOK_URL is set but ALERT_WEBHOOK_SECRET is not',
    });
  }
  return config;
}

/** `<PUBLIC_URL>/dashboard`, keeping a path prefix (a worker behind a route such as /ops/). */
export function dashboardUrlFor(publicUrl: string): string {
  const url = new URL(publicUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/dashboard`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * Returns a secret's value, or throws a ConfigError naming the variable. Given the config's
 * problems, a secret that is set but was refused (e.g. a short ADMIN_TOKEN) says why instead of
 * "is not set".
 */
export function requireSecret<T extends string | undefined>(
  value: T,
  variable: string,
  problems: readonly ConfigProblem[] = [],
): string {
  if (value === undefined || value === '') {
    const refused = problems.find((p) => p.variable === variable);
    throw new ConfigError(variable, refused?.message ?? `${variable} is not set`);
  }
  return value;
}

/**
 * One of `choices`, in any case; unset or blank: `fallback`. Anything else is reported by name (never
 * its value) and falls back too.
 */
function parseChoice<T extends string>(
  variable: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
  problems: ConfigProblem[],
): T {
  const choice = value?.trim().toLowerCase() ?? '';
  if (choice === '') return fallback;
  if ((choices as readonly string[]).includes(choice)) return choice as T;
  problems.push({ variable, message: `must be one of ${choices.join(', ')}; using ${fallback}` });
  return fallback;
}

function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseBaseUrl(
  variable: string,
  value: string | undefined,
  fallback: string,
  problems: ConfigProblem[],
  normalise: (url: URL) => string,
): string {
  if (value === undefined) return fallback;
  let reason: string;
  try {
    const url = new URL(value);
    const problem = insecureTransportReason(url);
    if (problem === null) return normalise(url);
    reason = problem;
  } catch {
    reason = 'is not an http(s) URL';
  }
  problems.push({
    variable,
    message: `${variable} ${reason} (only https, or http to localhost); using ${fallback}`,
  });
  return fallback;
}

/** A bearer token too short to resist guessing is refused (not accepted by any route). */
function parseBearerToken(
  variable: string,
  value: string | undefined,
  problems: ConfigProblem[],
): string | undefined {
  if (value === undefined || value.length >= MIN_ADMIN_TOKEN_LENGTH) return value;
  problems.push({
    variable,
    message: `${variable} is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters, so it is not accepted; set a longer random token`,
  });
  return undefined;
}

function parseUrl(
  variable: string,
  value: string | undefined,
  problems: ConfigProblem[],
): string | undefined {
  if (value === undefined) return undefined;
  let reason: string;
  try {
    const url = new URL(value);
    const problem = insecureTransportReason(url);
    if (problem === null) return url.toString();
    reason = problem;
  } catch {
    reason = 'is not an http(s) URL';
  }
  // The URL itself may embed a token (Slack and Discord webhook URLs do), so it is never echoed.
  problems.push({
    variable,
    message: `${variable} ${reason} (only https, or http to localhost); the channel stays off`,
  });
  return undefined;
}

/**
 * PUBLIC_URL is where people sign in to the dashboard (a form with the admin token, then a session
 * cookie), so it must be https, as the outbound URLs: plain http only to a loopback host (local dev).
 */
function parsePublicUrl(value: string | undefined, problems: ConfigProblem[]): string | undefined {
  if (value === undefined) return undefined;
  let reason: string;
  try {
    const url = new URL(value);
    const problem = insecureTransportReason(url);
    if (problem === null) return url.toString();
    reason = problem;
  } catch {
    reason = 'is not an http(s) URL';
  }
  problems.push({
    variable: 'PUBLIC_URL',
    message: `PUBLIC_URL ${reason} (only https, or http to localhost); links are left out`,
  });
  return undefined;
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

/** A structured var left out, or set to blank: its defaults apply. */
function unset(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
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
