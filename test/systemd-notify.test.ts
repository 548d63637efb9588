import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pendingUpgradeBytes } from '../src/store/database-file.js';
import { SCHEMA_VERSION } from '../src/store/migrations.js';
import { type FakeManager, startFakeManager } from './helpers/fake-systemd.js';
import { writeOlderDatabase } from './helpers/older-database.js';
import { CLI } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'counterpi-systemd-'));
let manager: FakeManager | undefined;
/** Every server started here: one a failed assertion left running is killed after the test. */
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  manager?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * `counterpi start` on `dataDir` under `fake`'s notify socket with a 300 ms watchdog: its output, and its
 * exit code once it exits. Killed after the test if an assertion leaves it running.
 */
function startUnder(fake: FakeManager, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      NOTIFY_SOCKET: fake.socket,
      WATCHDOG_USEC: '300000',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(child);
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, logs: () => logs };
}

describe('counterpi start under systemd', () => {
  it('says READY once serving, pings the watchdog, and says STOPPING on SIGTERM', async () => {
    const fake = await startFakeManager(dir);
    manager = fake;
    const { child, exited, logs } = startUnder(fake, join(dir, 'data'));

    await fake.waitFor((m) => m.some((x) => x.startsWith('READY=1')), 30_000);
    expect(fake.messages[0]).toMatch(/^READY=1\nSTATUS=serving http:\/\/localhost:\d+$/);
    await fake.waitFor((m) => m.filter((x) => x === 'WATCHDOG=1').length >= 2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs()).not.toContain('could not notify systemd');
    expect(fake.messages.at(-1)).toBe('STOPPING=1');
    expect(new Set(fake.messages.slice(1, -1))).toEqual(new Set(['WATCHDOG=1']));
  }, 60_000);

  it('asks for more time before it rebuilds and migrates a database an older build left', async () => {
    manager?.close();
    const upgradeDir = join(dir, 'older');
    mkdirSync(join(upgradeDir, 'data'), { recursive: true });
    const fake = await startFakeManager(upgradeDir);
    manager = fake;
    const dataDir = join(upgradeDir, 'data');
    writeOlderDatabase(join(dataDir, 'counterpi.db'), 1024, SCHEMA_VERSION - 1);
    const { child, exited } = startUnder(fake, dataDir);
    await fake.waitFor((m) => m.some((x) => x.startsWith('READY=1')), 30_000);
    expect(fake.messages[0]).toMatch(
      /^EXTEND_TIMEOUT_USEC=\d+\nSTATUS=upgrading the database \(\d+ MB\) once before serving; this start may take up to \d+ minutes$/,
    );
    expect(Number(/EXTEND_TIMEOUT_USEC=(\d+)/.exec(fake.messages[0] ?? '')?.[1])).toBeGreaterThan(
      120_000_000,
    );
    expect(fake.messages[1]).toMatch(/^READY=1/);
    // Its first watchdog ping says it listens for SIGTERM.
    await fake.waitFor((m) => m.includes('WATCHDOG=1'));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Upgraded once: the next start asks for nothing.
    expect(pendingUpgradeBytes(join(dataDir, 'counterpi.db'))).toBeUndefined();
  }, 60_000);
});
