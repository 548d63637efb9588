import { join } from 'node:path';
import type { Config, PrinterTarget } from '../config/config.js';
import type { GpioPort } from '../devices/gpio.js';
import { openOnoffGpio } from '../devices/gpio-onoff.js';
import { createSimGpio } from '../devices/gpio-sim.js';
import type { PrinterPort } from '../devices/printer.js';
import { createSimPrinter } from '../devices/printer-sim.js';
import { createTcpPrinter } from '../devices/printer-tcp.js';
import { createUsbPrinter } from '../devices/printer-usb.js';
import type { Clock } from '../platform/clock.js';
import { createDemoProvider, type DemoProviderDeps } from '../services/payments/demo-provider.js';
import type { PaymentProvider } from '../services/payments/payment-port.js';
import type { StripeEndpoint } from '../services/payments/stripe-client.js';
import type { CounterpiDeps } from './counterpi-deps.js';

/** The GPIO setting's port: the caller's own, the Pi's pins through onoff, or the simulated twin. */
export async function gpioPort(config: Config, deps: CounterpiDeps): Promise<GpioPort> {
  const log = deps.log.child({ module: 'gpio' });
  if (deps.gpio !== undefined) return deps.gpio;
  return config.gpio === 'onoff' ? openOnoffGpio({ log }) : createSimGpio({ log });
}

/** A printer target's port: a network or USB printer, or the simulated one writing DATA_DIR/tickets. */
export function printerPort(target: PrinterTarget, dataDir: string): PrinterPort {
  if (target.kind === 'tcp') return createTcpPrinter({ host: target.host, port: target.port });
  if (target.kind === 'usb') return createUsbPrinter({ device: target.device });
  return createSimPrinter({ dir: join(dataDir, 'tickets') });
}

/** A printer port that can be switched to another target without a restart. */
export type SwitchablePrinter = PrinterPort & { current(): PrinterTarget; use(target: PrinterTarget): void };

/** The printer port that follows the owner's choice from the admin pages, without a restart. */
export function switchablePrinter(initial: PrinterTarget, dataDir: string): SwitchablePrinter {
  let target = initial;
  let port = printerPort(target, dataDir);
  return {
    get target() {
      return port.target;
    },
    send: (out, timeoutMs) => port.send(out, timeoutMs),
    state: () => port.state(),
    current: () => target,
    use(next) {
      target = next;
      port = printerPort(next, dataDir);
    },
  };
}

/**
 * The PAYMENTS setting's provider: the embedded demo one, or Stripe with the configured key (its modules
 * loaded only then).
 */
export async function paymentProvider(
  config: Config,
  deps: Pick<DemoProviderDeps, 'store' | 'vault' | 'vaultTokens'> & {
    clock: Clock;
    endpoint: StripeEndpoint | undefined;
  },
): Promise<PaymentProvider> {
  if (config.payments === 'stripe' && config.stripeSecretKey !== undefined) {
    const [{ createStripeClient }, { createStripeProvider }] = await Promise.all([
      import('../services/payments/stripe-client.js'),
      import('../services/payments/stripe-provider.js'),
    ]);
    return createStripeProvider({
      stripe: createStripeClient({ secretKey: config.stripeSecretKey, endpoint: deps.endpoint }),
      publicUrl: config.publicUrl,
      clock: deps.clock,
    });
  }
  return createDemoProvider(deps);
}
