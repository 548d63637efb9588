import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the kernel lists GPIO chips through the (deprecated, still present) sysfs interface. */
export const SYSFS_GPIO_ROOT = '/sys/class/gpio';

/**
 * The label of the Pi's own GPIO controller: bcm2835 (Pi 1–3, Zero), bcm2711 (Pi 4), rp1 (Pi 5).
 * Since kernel 6.6 its base is no longer 0 (512 on a Pi 4, 571 on a Pi 5: raspberrypi/linux #5638).
 */
const PI_CHIP_LABEL = /^pinctrl-(bcm2835|bcm2711|rp1)$/;

/** One `gpiochipN` directory: the driver's label and the sysfs number of its first line. */
export interface GpioChip {
  readonly name: string;
  readonly label: string;
  readonly base: number;
}

/** Every chip under `root` with a readable label and base, in name order; none when `root` is absent. */
export function listGpioChips(root: string = SYSFS_GPIO_ROOT): GpioChip[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => /^gpiochip\d+$/.test(name));
  } catch {
    return [];
  }
  return names.sort(byChipNumber).flatMap((name) => {
    try {
      const label = readFileSync(join(root, name, 'label'), 'utf8').trim();
      const base = Number(readFileSync(join(root, name, 'base'), 'utf8').trim());
      return Number.isInteger(base) && base >= 0 ? [{ name, label, base }] : [];
    } catch {
      return [];
    }
  });
}

/** The base of the Pi's GPIO controller under `root`, or undefined when no chip has its label. */
export function findGpioBase(root: string = SYSFS_GPIO_ROOT): number | undefined {
  return listGpioChips(root).find((chip) => PI_CHIP_LABEL.test(chip.label))?.base;
}

/** The sysfs number of a BCM pin: the chip base plus the BCM number (BCM 17 on a Pi 5 is 588). */
export function sysfsNumber(bcm: number, base: number): number {
  if (!Number.isInteger(bcm) || bcm < 0 || bcm > 53) throw new RangeError(`BCM pin ${bcm} is not 0–53`);
  return base + bcm;
}

function byChipNumber(a: string, b: string): number {
  return Number(a.slice('gpiochip'.length)) - Number(b.slice('gpiochip'.length));
}
