import { Gpio } from 'onoff';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/app-error.js';
import { createSilentLogger } from '../platform/logger.js';
import { openOnoffGpio } from './gpio-onoff.js';

describe('the onoff GPIO port', () => {
  // Only a machine where sysfs GPIO is writable (a Pi, user in group gpio) gets past the first check.
  it.skipIf(Gpio.accessible)('refuses to start without sysfs GPIO access, naming the fix', async () => {
    const failure = await openOnoffGpio({ log: createSilentLogger() }).catch((error: unknown) => error);
    expect(isAppError(failure)).toBe(true);
    const message = (failure as Error).message;
    expect(message).toContain('GPIO is not accessible');
    expect(message).toContain('"gpio" group');
    expect(message).toContain('sysfs');
  });
});
