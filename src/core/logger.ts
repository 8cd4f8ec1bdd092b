/**
 * Logging: pino to stderr, silent unless `DOCKERHUB_LOG_LEVEL` (or an option) says otherwise. Every
 * logged object goes through structural redaction, so a secret under an unexpected key is still hidden.
 */
import { createRequire } from 'node:module';
import type pinoModule from 'pino';
import { redactValue } from './redact.js';

export interface Logger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** What a silent logger is: nothing to format, so pino is not even loaded (it weighs on CLI start-up). */
const SILENT: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => SILENT,
};

export interface LoggerOptions {
  level?: string;
  /** A stream or file descriptor; default stderr (fd 2), keeping stdout clean for command output. */
  destination?: NodeJS.WritableStream | number;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const requested = (opts.level ?? process.env.DOCKERHUB_LOG_LEVEL ?? 'silent').toLowerCase();
  const level = LEVELS.has(requested) ? requested : 'silent';
  if (level === 'silent') return SILENT;
  const pino = createRequire(import.meta.url)('pino') as typeof pinoModule;
  const destination =
    typeof opts.destination === 'object'
      ? opts.destination
      : pino.destination({ fd: opts.destination ?? 2, sync: true });
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['headers.authorization', 'headers.cookie', 'password', 'token', 'secret'],
        censor: '[REDACTED]',
      },
      formatters: { log: (obj) => redactValue(obj) as Record<string, unknown> },
      hooks: {
        // Messages are free text: scrub them too.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? (redactValue(a) as string) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination as pinoModule.DestinationStream,
  ) as unknown as Logger;
}

let shared: Logger | undefined;

/** The process-wide logger, created on first use (so importing the SDK costs nothing). */
export function getLogger(): Logger {
  shared ??= createLogger();
  return shared;
}
