import { readBuildTime } from '../platform/build-time.js';
import { type Clock, systemClock } from '../platform/clock.js';
import { readFirmwareThrottled } from '../platform/firmware-throttled.js';
import { createClockWatch } from '../services/operations/clock-watch.js';
import { createOrderGate } from '../services/operations/order-gate.js';
import { createPowerFlags } from '../services/operations/power-flags.js';
import { newestRecordMs } from '../store/newest-record.js';
import type { BuildContext } from './build-context.js';

/**
 * The Pi itself, as the orders depend on it: its clock (the gate that takes no order while it is behind,
 * with the disk's state beside it) and its power supply. Started by the workers.
 */
export function buildAppliance(at: Omit<BuildContext, 'gate'>) {
  const { clock, log } = at;
  const clockWatch = createClockWatch({
    clock,
    log: log.child({ module: 'clock' }),
    newestRecordMs: newestRecordMs(at.store),
    builtAt: builtAt(at.deps.clockWatch?.builtAt, clock),
    ...(at.deps.clockWatch?.checkMs === undefined ? {} : { checkMs: at.deps.clockWatch.checkMs }),
  });
  const powerFlags = createPowerFlags({
    read: () => readFirmwareThrottled(at.config.throttledFile),
    clock,
    log: log.child({ module: 'power' }),
  });
  return { clockWatch, powerFlags, orderGate: createOrderGate({ clock: clockWatch, storage: at.storage }) };
}

/**
 * The build's time bounds the machine's wall clock only: a clock a caller brings (a test's, the bench's
 * shifted one) keeps its own time, so it gets the build time only when given one.
 */
function builtAt(given: Date | undefined, clock: Clock): Date | undefined {
  if (given !== undefined) return given;
  return clock === systemClock ? readBuildTime() : undefined;
}
