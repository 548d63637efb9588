import { spawn } from 'node:child_process';

/** Why an outside program (age, rclone) did not do its job. */
export class ToolError extends Error {
  constructor(
    readonly tool: string,
    /** `missing`: not installed; `failed`: it ran and said no; `timeout`: it took too long; `stopped`: we are shutting down. */
    readonly reason: 'missing' | 'failed' | 'timeout' | 'stopped',
    /** Its last words on stderr, already cleaned of secrets by the caller's `redact`. */
    readonly detail: string,
  ) {
    super(`${tool} ${reason}${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'ToolError';
  }
}

export interface RunToolOptions {
  /** Written to the program's standard input (an identity, never a command-line argument). */
  readonly input?: string;
  readonly timeoutMs: number;
  /** Removes secrets from what the program printed before it reaches an error or a log. */
  readonly redact?: (text: string) => string;
  /** Stops the program (SIGTERM) when aborted: counterpi is shutting down. */
  readonly signal?: AbortSignal;
}

const KEEP_STDERR = 4096;

/** Runs `command args` without a shell; resolves with its stdout, rejects with a ToolError. */
export function runTool(command: string, args: readonly string[], options: RunToolOptions): Promise<string> {
  const redact = options.redact ?? ((text: string) => text);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-KEEP_STDERR);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'missing' : error.name === 'AbortError' ? 'stopped' : 'failed';
      reject(new ToolError(command, reason, reason === 'failed' ? error.message : ''));
    });
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(stdout);
      if (options.signal?.aborted === true) return reject(new ToolError(command, 'stopped', ''));
      const last = redact(stderr.trim()).split('\n').slice(-3).join(' ').slice(0, 400);
      reject(new ToolError(command, signal === 'SIGTERM' ? 'timeout' : 'failed', last));
    });
    // A program that exits before reading its input must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
