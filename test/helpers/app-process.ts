import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A `counterpi start` in a child process, for tests that kill it mid-flow and start it again. */
export interface AppProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

/**
 * Starts `counterpi start` with only `env` (and PATH) in its environment; resolves with its URL once
 * it logs that it serves. Every child is added to `children`, and removed when it exits, so a test's
 * teardown can SIGKILL whatever is left.
 */
export function startAppProcess(
  env: Record<string, string>,
  children: Set<ChildProcess>,
): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*counterpi is serving/.exec(output)?.[1];
      if (url !== undefined) resolve({ child, url, output: () => output });
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`counterpi exited with ${code}: ${output}`)));
  });
}
