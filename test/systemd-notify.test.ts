import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeManager, startFakeManager } from './helpers/fake-systemd.js';
import { CLI } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'counterpi-systemd-'));
let manager: FakeManager | undefined;

afterAll(() => {
  manager?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('counterpi start under systemd', () => {
  it('says READY once serving, pings the watchdog, and says STOPPING on SIGTERM', async () => {
    const fake = await startFakeManager(dir);
    manager = fake;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: join(dir, 'data'),
        PORT: '0',
        LOG_LEVEL: 'warn',
        NOTIFY_SOCKET: fake.socket,
        WATCHDOG_USEC: '300000',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let logs = '';
    child.stdout.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await fake.waitFor((m) => m.some((x) => x.startsWith('READY=1')), 30_000);
    expect(fake.messages[0]).toMatch(/^READY=1\nSTATUS=serving http:\/\/localhost:\d+$/);
    await fake.waitFor((m) => m.filter((x) => x === 'WATCHDOG=1').length >= 2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs).not.toContain('could not notify systemd');
    expect(fake.messages.at(-1)).toBe('STOPPING=1');
    expect(new Set(fake.messages.slice(1, -1))).toEqual(new Set(['WATCHDOG=1']));
  }, 60_000);
});
