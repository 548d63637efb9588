import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Field names whose values never reach the log, wherever they appear. */
const REDACT = [
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  'card',
  'cvc',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.cookie',
  '*.card',
  '*.cvc',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; stdout (journald) when omitted. */
  readonly destination?: DestinationStream;
}

/** Structured JSON logs: one line per event, secrets redacted, a child logger per module. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'counterpi' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger that writes nothing (tests that do not look at logs). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
