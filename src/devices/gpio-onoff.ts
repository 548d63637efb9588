import type { Gpio } from 'onoff';
import { AppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import type { GpioInput, GpioOutput, GpioPort } from './gpio.js';
import { findGpioBase, listGpioChips, SYSFS_GPIO_ROOT, sysfsNumber } from './gpio-chip.js';

/** Why GPIO cannot be used, with the fix the owner has to apply on the Pi. */
function unavailable(message: string, cause?: unknown): AppError {
  return new AppError('internal', message, cause === undefined ? {} : { cause });
}

/**
 * Opens the Pi's GPIO through sysfs with onoff, loaded only here so `GPIO=sim` never loads its native
 * addon. Pins are BCM numbers; each is exported as the controller's base + BCM (kernel 6.6+ numbering).
 * Throws a message naming the fix when sysfs GPIO is not writable or no Pi controller is found.
 */
export async function openOnoffGpio({
  log,
  root = SYSFS_GPIO_ROOT,
}: {
  log: Logger;
  root?: string;
}): Promise<GpioPort> {
  let onoff: typeof import('onoff');
  try {
    onoff = await import('onoff');
  } catch (error) {
    throw unavailable(
      'GPIO=onoff needs the onoff package and its native epoll addon: run "npm install" on the Pi (it needs a C++ compiler: apt install build-essential), or set GPIO=sim.',
      error,
    );
  }
  if (!onoff.Gpio.accessible) {
    throw unavailable(
      `GPIO is not accessible: ${root}/export cannot be written. Add the user counterpi runs as to the "gpio" group (sudo usermod -aG gpio USER, then restart the service) and make sure the kernel offers the sysfs GPIO interface (${root} exists; Raspberry Pi OS kernels have it).`,
    );
  }
  const base = findGpioBase(root);
  if (base === undefined) {
    const seen = listGpioChips(root).map((chip) => `${chip.name} "${chip.label}"`);
    throw unavailable(
      `No Raspberry Pi GPIO controller (label pinctrl-bcm2835, pinctrl-bcm2711 or pinctrl-rp1) under ${root}; found: ${seen.join(', ') || 'none'}. Is this a Raspberry Pi? Otherwise set GPIO=sim.`,
    );
  }
  log.info({ base }, 'GPIO controller found');
  const exported: Gpio[] = [];
  const open = (bcm: number, make: (n: number) => Gpio): Gpio => {
    const n = sysfsNumber(bcm, base);
    try {
      const gpio = make(n);
      exported.push(gpio);
      return gpio;
    } catch (error) {
      throw unavailable(
        `GPIO BCM ${bcm} (sysfs ${n}) could not be opened: ${(error as Error).message}. Is another program using it?`,
        error,
      );
    }
  };

  return {
    kind: 'onoff',
    output(bcm): GpioOutput {
      // 'low' sets the direction and starts the pin off in one write: no flash at start.
      const gpio = open(bcm, (n) => new onoff.Gpio(n, 'low'));
      return { set: (on) => gpio.writeSync(on ? 1 : 0) };
    },
    input(bcm, { debounceMs, edge }): GpioInput {
      const gpio = open(bcm, (n) => new onoff.Gpio(n, 'in', edge, { debounceTimeout: debounceMs }));
      return {
        read: () => gpio.readSync(),
        watch(onLevel) {
          gpio.watch((error, value) => {
            if (error) log.error({ err: error, bcm }, 'GPIO input could not be read');
            else onLevel(value);
          });
        },
      };
    },
    close() {
      for (const gpio of exported.splice(0)) {
        try {
          if (gpio.direction() === 'out') gpio.writeSync(0);
          else gpio.unwatchAll();
          gpio.unexport();
        } catch (error) {
          log.warn({ err: error }, 'GPIO pin could not be released');
        }
      }
    },
  };
}
