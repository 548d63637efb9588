import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeManager, startFakeManager } from '../../test/helpers/fake-systemd.js';
import { createSilentLogger } from './logger.js';
import { createSdNotify, watchdogInterval } from './sd-notify.js';

describe('sd_notify', () => {
  let dir: string;
  let manager: FakeManager;
  const stops: (() => void)[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'counterpi-notify-'));
    manager = await startFakeManager(dir);
  });

  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const notifier = (env: Record<string, string>) =>
    createSdNotify({ env: { NOTIFY_SOCKET: manager.socket, ...env }, pid: 4242, log: createSilentLogger() });

  it('sends READY=1 with a one-line status and STOPPING=1 through systemd-notify', async () => {
    const sd = notifier({});
    expect(sd.enabled).toBe(true);
    expect(await sd.notify({ READY: '1', STATUS: 'serving\nhttps://burgers.example.com' })).toBe(true);
    expect(await sd.notify({ STOPPING: '1' })).toBe(true);
    await manager.waitFor((m) => m.length >= 2);
    expect(manager.messages).toEqual(['READY=1\nSTATUS=serving https://burgers.example.com', 'STOPPING=1']);
  });

  it('pings WATCHDOG=1 every WATCHDOG_USEC/2 while healthy, and stops pinging when not', async () => {
    let healthy = true;
    const sd = notifier({ WATCHDOG_USEC: '200000', WATCHDOG_PID: '4242' });
    expect(sd.watchdogIntervalMs).toBe(100);
    stops.push(sd.startWatchdog(() => healthy));
    await manager.waitFor((m) => m.filter((x) => x === 'WATCHDOG=1').length >= 3);
    healthy = false;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const withheld = manager.messages.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(manager.messages.length).toBe(withheld);
    healthy = true;
    await manager.waitFor((m) => m.length > withheld);
    expect(manager.messages.every((m) => m === 'WATCHDOG=1')).toBe(true);
  });

  it('treats a throwing health check as unhealthy', async () => {
    const sd = notifier({ WATCHDOG_USEC: '100000' });
    stops.push(
      sd.startWatchdog(() => {
        throw new Error('database is locked');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(manager.messages).toEqual([]);
  });

  it('reports a manager that is not there instead of throwing', async () => {
    const sd = createSdNotify({
      env: { NOTIFY_SOCKET: join(dir, 'nobody.sock') },
      pid: 1,
      log: createSilentLogger(),
    });
    expect(await sd.notify({ READY: '1' })).toBe(false);
  });
});

describe('sd_notify without systemd', () => {
  it('does nothing when NOTIFY_SOCKET is unset', async () => {
    const sent: string[] = [];
    const sd = createSdNotify({
      env: { WATCHDOG_USEC: '100000' },
      pid: 1,
      log: createSilentLogger(),
      send: async (message) => {
        sent.push(message);
      },
    });
    expect(sd.enabled).toBe(false);
    expect(sd.watchdogIntervalMs).toBeUndefined();
    expect(await sd.notify({ READY: '1' })).toBe(false);
    sd.startWatchdog(() => true)();
    expect(sent).toEqual([]);
  });

  it('reads the watchdog interval only when it is meant for this process', () => {
    expect(watchdogInterval({ WATCHDOG_USEC: '30000000' }, 7)).toBe(15_000);
    expect(watchdogInterval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 7)).toBe(15_000);
    expect(watchdogInterval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '8' }, 7)).toBeUndefined();
    expect(watchdogInterval({ WATCHDOG_USEC: 'soon' }, 7)).toBeUndefined();
    expect(watchdogInterval({}, 7)).toBeUndefined();
  });
});
