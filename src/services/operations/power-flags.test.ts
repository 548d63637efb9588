import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { readFirmwareThrottled } from '../../platform/firmware-throttled.js';
import { createLogger } from '../../platform/logger.js';
import { createPowerFlags, decodeThrottled, parseThrottled } from './power-flags.js';

/** A fake sysfs directory: the firmware's `get_throttled` file is whatever the test writes. */
const dir = mkdtempSync(join(tmpdir(), 'counterpi-sysfs-'));
const file = join(dir, 'get_throttled');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(read = () => readFirmwareThrottled(file, join(dir, 'no-vcgencmd'))) {
  const lines: { level: string; msg: string; throttled?: string }[] = [];
  const clock = createManualClock('2026-12-07T10:00:00Z');
  const power = createPowerFlags({
    read,
    clock,
    log: createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }),
    maxAgeMs: 5000,
  });
  return { clock, power, lines };
}

describe('the firmware’s throttling flags', () => {
  it('reads the sysfs file’s hex and vcgencmd’s throttled=0x… alike', () => {
    expect(parseThrottled('50005\n')).toBe(0x50005);
    expect(parseThrottled('throttled=0x50000\n')).toBe(0x50000);
    expect(parseThrottled('0x0')).toBe(0);
    expect(parseThrottled('error=1 error_msg="Command not registered"')).toBeUndefined();
    expect(decodeThrottled(0x50005)).toEqual({
      underVoltageNow: true,
      cappedNow: false,
      throttledNow: true,
      softTempLimitNow: false,
      underVoltageSinceBoot: true,
      cappedSinceBoot: false,
      throttledSinceBoot: true,
      softTempLimitSinceBoot: false,
    });
    expect(decodeThrottled(0x80008)).toMatchObject({ softTempLimitNow: true, softTempLimitSinceBoot: true });
    expect(decodeThrottled(0x20002)).toMatchObject({ cappedNow: true, cappedSinceBoot: true });
  });

  it('says under-voltage now and since boot on /ready as a problem, and logs it once', async () => {
    writeFileSync(file, '50005\n');
    const { power, lines } = setup();
    expect(power.health()).toEqual({ ok: true, detail: 'not read yet' });
    await power.refresh();
    expect(power.health()).toEqual({
      ok: false,
      detail: 'throttled=0x50005: under-voltage now, under-voltage since boot, throttled now',
    });
    await power.refresh();
    expect(lines.map((l) => [l.level, l.msg, l.throttled])).toEqual([
      ['warn', 'under-voltage: the power supply is too weak for the Pi now', '0x50005'],
    ]);
  });

  it('keeps a reading for a few seconds, then reads the file again when asked', async () => {
    writeFileSync(file, '0\n');
    const { clock, power } = setup();
    await power.refresh();
    expect(power.health()).toEqual({
      ok: true,
      detail: 'throttled=0x0: no under-voltage or throttling since boot',
    });
    writeFileSync(file, '10000\n');
    clock.advance(4000);
    expect(power.state()).toMatchObject({ kind: 'read', bits: 0 });
    clock.advance(1001);
    // Stale: this answer is the old one, and a read starts in the background.
    expect(power.state()).toMatchObject({ kind: 'read', bits: 0 });
    await power.refresh();
    expect(power.health()).toEqual({ ok: false, detail: 'throttled=0x10000: under-voltage since boot' });
  });

  it('falls back to vcgencmd where the sysfs file is absent, and says when there are no flags at all', async () => {
    const vcgencmd = join(dir, 'vcgencmd');
    writeFileSync(vcgencmd, '#!/bin/sh\n[ "$1" = get_throttled ] && echo throttled=0x50000\n');
    chmodSync(vcgencmd, 0o755);
    const missing = join(dir, 'absent', 'get_throttled');
    const withTool = setup(() => readFirmwareThrottled(missing, vcgencmd)).power;
    await withTool.refresh();
    expect(withTool.state()).toMatchObject({ kind: 'read', flags: { underVoltageSinceBoot: true } });
    const none = setup(() => readFirmwareThrottled(missing, join(dir, 'no-vcgencmd'))).power;
    await none.refresh();
    expect(none.health()).toEqual({
      ok: true,
      detail: 'no firmware throttling flags here (not a Raspberry Pi)',
    });
  });

  it('names a reading it cannot understand', async () => {
    writeFileSync(file, 'garbage\n');
    const { power } = setup();
    await power.refresh();
    expect(power.health()).toEqual({
      ok: false,
      detail: 'could not read the firmware\'s throttling flags: sysfs said "garbage"',
    });
  });
});
