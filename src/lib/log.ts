/**
 * Structured JSON logs with secrets scrubbed. Every known secret value is replaced wherever it
 * appears, and fields whose names look secret are masked, so a careless `log.info(...)` cannot
 * leak a key into Workers Logs.
 */

const SECRET_FIELD = /pass(word)?|secret|token|api[_-]?key|authorization|signature|credential/i;
export const REDACTED = '[redacted]';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

/** Replaces every secret value inside a string. Short values (< 4 chars) are ignored to avoid mangling. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep copy of a value with secret-named fields masked and secret values scrubbed from strings. */
export function redact(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (value instanceof Error) {
    return { name: value.name, message: scrubSecrets(value.message, secrets) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_FIELD.test(key) && item !== null && item !== undefined
          ? REDACTED
          : redact(item, secrets, depth + 1);
    }
    return out;
  }
  return value;
}

export function createLogger(
  options: {
    secrets?: readonly string[];
    fields?: Record<string, unknown>;
    sink?: LogSink;
    /** The lowest level written (default info); lines below it cost nothing. */
    level?: LogLevel;
  } = {},
): Logger {
  const secrets = options.secrets ?? [];
  const base = options.fields ?? {};
  const sink = options.sink ?? consoleSink;
  const level = options.level ?? 'info';
  const lowest = LOG_LEVELS.indexOf(level);
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < lowest) return;
    const entry = redact({ level, message, ...base, ...fields, time: new Date().toISOString() }, secrets);
    sink(JSON.stringify(entry), level);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger({ secrets, sink, level, fields: { ...base, ...fields } }),
  };
}
