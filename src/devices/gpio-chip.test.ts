import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findGpioBase, listGpioChips, sysfsNumber } from './gpio-chip.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temp `/sys/class/gpio` with one `gpiochipN/{label,base}` per entry, as the kernel writes them. */
function sysfsTree(chips: readonly { name: string; label: string; base?: string }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'counterpi-gpio-'));
  roots.push(root);
  for (const chip of chips) {
    mkdirSync(join(root, chip.name));
    writeFileSync(join(root, chip.name, 'label'), `${chip.label}\n`);
    if (chip.base !== undefined) writeFileSync(join(root, chip.name, 'base'), `${chip.base}\n`);
  }
  writeFileSync(join(root, 'export'), '');
  return root;
}

describe('findGpioBase', () => {
  it('finds 512 on a Pi 4 with kernel 6.6+', () => {
    const root = sysfsTree([
      { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: '512' },
      { name: 'gpiochip570', label: 'raspberrypi-exp-gpio', base: '570' },
    ]);
    expect(findGpioBase(root)).toBe(512);
  });

  it('finds 571 on a Pi 5, past the other chips listed before it', () => {
    const root = sysfsTree([
      { name: 'gpiochip512', label: 'gpio-brcmstb@107d508500', base: '512' },
      { name: 'gpiochip544', label: 'gpio-brcmstb@107d508520', base: '544' },
      { name: 'gpiochip571', label: 'pinctrl-rp1', base: '571' },
    ]);
    expect(findGpioBase(root)).toBe(571);
  });

  it('finds a base of 0 on older kernels (0 is a base, not "missing")', () => {
    const root = sysfsTree([
      { name: 'gpiochip0', label: 'pinctrl-bcm2835', base: '0' },
      { name: 'gpiochip504', label: 'raspberrypi-exp-gpio', base: '504' },
    ]);
    expect(findGpioBase(root)).toBe(0);
  });

  it('answers undefined when no chip is the Pi’s controller', () => {
    const root = sysfsTree([
      { name: 'gpiochip0', label: 'gpio-mockup-A', base: '0' },
      { name: 'gpiochip32', label: 'pinctrl-bcm2711-extra', base: '32' },
      { name: 'gpiochip64', label: 'xpinctrl-rp1', base: '64' },
    ]);
    expect(findGpioBase(root)).toBeUndefined();
  });

  it('answers undefined when there is no sysfs GPIO at all, or no chip in it', () => {
    expect(findGpioBase(join(tmpdir(), 'counterpi-no-such-dir', 'gpio'))).toBeUndefined();
    expect(findGpioBase(sysfsTree([]))).toBeUndefined();
  });

  it('skips a chip whose base cannot be read', () => {
    const root = sysfsTree([
      { name: 'gpiochip0', label: 'pinctrl-bcm2711' },
      { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: '512' },
    ]);
    expect(listGpioChips(root)).toEqual([{ name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512 }]);
    expect(findGpioBase(root)).toBe(512);
  });
});

describe('sysfsNumber', () => {
  it('adds the BCM number to the base', () => {
    expect(sysfsNumber(17, 571)).toBe(588);
    expect(sysfsNumber(22, 512)).toBe(534);
    expect(sysfsNumber(23, 0)).toBe(23);
  });

  it('refuses a pin the Pi does not have', () => {
    expect(() => sysfsNumber(54, 512)).toThrow(RangeError);
    expect(() => sysfsNumber(-1, 0)).toThrow(RangeError);
  });
});
