import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScryptCost } from '../../src/admin/owner-password.js';
import { loadConfig } from '../../src/config/config.js';
import { type Counterpi, type CounterpiDeps, startCounterpi } from '../../src/main.js';
import { type Clock, createManualClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';

/** Header the test resolver reads to tell customers apart until sign-in exists. */
export const TEST_CUSTOMER_HEADER = 'x-test-customer';

/** The public origin tests pretend the tunnel gives; requests still go to loopback. */
export const PUBLIC_URL = 'https://burgers.example.com';

/**
 * The cheapest scrypt cost a stored hash may name (verifyPassword refuses less): test apps hash owner
 * passwords with it, so the many logins take milliseconds instead of a second of CPU each.
 */
export const TEST_PASSWORD_COST: ScryptCost = { ln: 10, r: 8, p: 1 };

export interface TestApp {
  readonly app: Counterpi;
  readonly url: string;
  readonly dataDir: string;
  readonly clock: ReturnType<typeof createManualClock>;
  stop(): Promise<void>;
}

/** Starts the real app on 127.0.0.1:0 over a fresh data dir, with a manual clock (noon in New York by default). */
export async function startTestApp(
  options: {
    clock?: Clock & ReturnType<typeof createManualClock>;
    dataDir?: string;
    oauth?: CounterpiDeps['oauth'];
    /** More settings, as environment variables (PAYMENTS, STRIPE_…). */
    env?: Record<string, string>;
    stripeEndpoint?: CounterpiDeps['stripeEndpoint'];
    /** A GPIO port the test holds, such as the simulated one it presses buttons on. */
    gpio?: CounterpiDeps['gpio'];
    /** /mcp verifies real access tokens, as in production (else the test header names the customer). */
    bearerTokens?: boolean;
    /** How often the clock is checked for jumps, and a build time to hold it to. */
    clockWatch?: CounterpiDeps['clockWatch'];
    /** Backup timings, and the fake mounts and disks tree the removable drives are read from. */
    backups?: CounterpiDeps['backups'];
  } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'counterpi-test-'));
  const clock = options.clock ?? createManualClock('2026-11-24T17:00:00Z');
  const app = await startCounterpi(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: PUBLIC_URL, ...options.env }),
    {
      log: createSilentLogger(),
      clock,
      passwordCost: TEST_PASSWORD_COST,
      ...(options.oauth === undefined ? {} : { oauth: options.oauth }),
      ...(options.stripeEndpoint === undefined ? {} : { stripeEndpoint: options.stripeEndpoint }),
      ...(options.gpio === undefined ? {} : { gpio: options.gpio }),
      ...(options.clockWatch === undefined ? {} : { clockWatch: options.clockWatch }),
      ...(options.backups === undefined ? {} : { backups: options.backups }),
      ...(options.bearerTokens === true
        ? {}
        : {
            resolveCustomer: (header) => ({
              subject: header(TEST_CUSTOMER_HEADER) ?? 'customer-1',
              scopes: ['menu:read', 'order:write'],
            }),
          }),
    },
  );
  return {
    app,
    url: app.url,
    dataDir,
    clock,
    async stop() {
      await app.stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
