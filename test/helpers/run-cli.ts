import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli as runCounterpi } from '../../src/cli/cli-commands.js';

/** The CLI entry point, run from source through tsx. */
export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a command sees: only `env`, PATH and a quiet log level, nothing inherited. */
function cliEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env };
}

/** A stream that keeps what is written to it. */
function textSink(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Runs `counterpi ARGS` in this process with the given environment: the same commands, exit statuses
 * and output as the binary, without a Node start and a TypeScript load per call. `start` serves until
 * the process is signalled, so it is only run here when it must refuse; spawnCli runs the real binary.
 */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const stdout = textSink();
  const stderr = textSink();
  const code = await runCounterpi(args, {
    env: cliEnv(env),
    stdout: stdout.stream,
    stderr: stderr.stream,
    startLog: stdout.stream,
  });
  return { code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `counterpi ARGS` in a child process, the real entry point, with the given environment. */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
