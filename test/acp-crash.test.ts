import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { startAppProcess } from './helpers/app-process.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const children = new Set<ChildProcess>();
let dataDir = '';

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-acp-crash-'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('checkout sessions across a crash', () => {
  it('keeps every session it answered when killed with more on the way (group commit answers after commit)', async () => {
    const first = await startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL }, children);
    const { secret } = createTestAcpKey(dataDir);
    const acp = acpClient(first.url, secret);
    const answered: { key: string; id: string }[] = [];
    let killed = false;
    // Sixty agents at once; the process dies as soon as twenty have their answer.
    const attempts = Array.from({ length: 60 }, async (_, n) => {
      const key = `crash-${n}`;
      try {
        const res = await acp.post(
          '/checkout_sessions',
          { line_items: [{ id: 'cheeseburger' }, { id: 'fries' }], currency: 'usd' },
          { 'idempotency-key': key },
        );
        if (res.status !== 201) return;
        answered.push({ key, id: String(res.body.id) });
        if (answered.length === 20 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch {
        // The connection died with the process: never answered, so never promised.
      }
    });
    await Promise.all(attempts);
    expect(killed).toBe(true);
    expect(answered.length).toBeGreaterThanOrEqual(20);

    const second = await startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL }, children);
    const again = acpClient(second.url, secret);
    for (const { key, id } of answered) {
      const read = await again.get(`/checkout_sessions/${id}`);
      expect(read.status, `${id} was answered, then lost`).toBe(200);
      // The same key and body after the restart replay the stored answer: the same session.
      const replay = await again.post(
        '/checkout_sessions',
        { line_items: [{ id: 'cheeseburger' }, { id: 'fries' }], currency: 'usd' },
        { 'idempotency-key': key },
      );
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.id).toBe(id);
    }
    second.child.kill('SIGTERM');
  }, 60_000);
});
