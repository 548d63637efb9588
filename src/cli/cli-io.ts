import type { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { type Config, ConfigError } from '../config/config.js';
import { isAppError } from '../domain/app-error.js';

/** Where a command reads its environment and writes its output: the process's own, or a test's. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Where `start` logs; stdout through pino's own asynchronous writer when omitted. */
  readonly startLog?: DestinationStream;
}

/** One command: its arguments after the command's name, the loaded configuration; resolves with the exit status. */
export type Command = (args: string[], config: Config, io: CliIo) => Promise<number>;

/** A failure as the owner reads it on stderr: the message and each violation, never a stack. */
export function describeFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (isAppError(error)) {
    const lines = error.violations.map((v) => `- ${v.path === undefined ? '' : `${v.path}: `}${v.message}`);
    return [error.message, ...lines].join('\n');
  }
  return error instanceof Error ? `counterpi failed: ${error.message}` : 'counterpi failed';
}
