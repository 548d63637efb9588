import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAppProcess } from './helpers/app-process.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const children = new Set<ChildProcess>();
const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-stop-'));

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

type Outcome = { status: number; connection: string | undefined } | { error: string };

/** One GET on the agent's kept-alive connection: its status, or the socket error that ended it. */
function get(url: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { agent }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** Requests one after another on one kept-alive connection until the server refuses a new one. */
async function keepSending(url: string, outcomes: Outcome[], deadline: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (Date.now() < deadline) {
      const outcome = await get(url, agent);
      outcomes.push(outcome);
      if ('error' in outcome) return;
    }
  } finally {
    agent.destroy();
  }
}

describe('stopping on SIGTERM', () => {
  it('answers every request that arrives on a kept-alive connection, and exits 0', async () => {
    const app = await startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL }, children);
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', resolve));
    const outcomes: Outcome[][] = [[], [], [], []];
    const deadline = Date.now() + 15_000;
    const clients = outcomes.map((list) => keepSending(app.url, list, deadline));
    // Every client is in full flow before the signal.
    while (outcomes.some((list) => list.length < 20)) await new Promise((r) => setTimeout(r, 10));
    app.child.kill('SIGTERM');
    await Promise.all(clients);
    expect(await exited).toBe(0);

    for (const list of outcomes) {
      const errors = list.filter((o) => 'error' in o).map((o) => (o as { error: string }).error);
      // The only error is the last one: a new connection refused after the answer that closed the old.
      expect(errors).toEqual(['ECONNREFUSED']);
      const answers = list.filter((o) => !('error' in o)) as { status: number; connection?: string }[];
      expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      expect(answers.at(-1)?.connection).toBe('close');
    }
  }, 60_000);
});
