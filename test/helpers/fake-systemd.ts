import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Stands in for systemd: binds an AF_UNIX datagram socket and prints every datagram as one JSON line.
 * Node cannot bind such a socket, so a few lines of Python do (python3 is on every Debian and CI).
 * It reads without room for ancillary data, so the fd of systemd-notify's BARRIER=1 is closed at once
 * and the barrier returns, as it does when systemd has processed the message.
 */
const FAKE_MANAGER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    print(json.dumps(s.recv(4096).decode()), flush=True)
`;

/** A service manager's notify socket, and what arrived on it. */
export interface FakeManager {
  readonly socket: string;
  /** Every message received so far, BARRIER=1 left out. */
  readonly messages: string[];
  waitFor(predicate: (messages: readonly string[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Binds `dir/notify.sock` and collects every message sent to it. */
export async function startFakeManager(dir: string): Promise<FakeManager> {
  const socket = join(dir, 'notify.sock');
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(
    'python3',
    ['-c', FAKE_MANAGER, socket],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const messages: string[] = [];
  let buffered = '';
  let listening: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    listening = resolve;
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake manager exited with ${code}`)));
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'listening') listening();
      else {
        const message = JSON.parse(line) as string;
        if (message !== 'BARRIER=1') messages.push(message);
      }
    }
  });
  await ready;
  return {
    socket,
    messages,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(messages)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => child.kill(),
  };
}
