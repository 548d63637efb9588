import type { ScryptCost } from '../admin/owner-password.js';
import type { AuthorizationServerDeps } from '../auth/authorization-server.js';
import type { GpioPort } from '../devices/gpio.js';
import type { CustomerResolver } from '../mcp/mcp-route.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { PrintQueueOptions } from '../services/kitchen/print-queue.js';
import type { BackupsDeps } from '../services/operations/backups.js';
import type { ClockWatchDeps } from '../services/operations/clock-watch.js';
import type { PublicUrlCheckDeps } from '../services/operations/public-url-check.js';
import type { DriveRoots } from '../services/operations/removable-drives.js';
import type { StripeEndpoint } from '../services/payments/stripe-client.js';
import type { WebhookDeliveryOptions } from '../services/webhooks/webhook-delivery.js';

/** Parts a test or a simulation may replace; everything else is real. */
export interface CounterpiDeps {
  readonly log: Logger;
  readonly clock?: Clock;
  readonly ids?: Ids;
  /** Who an MCP request is from; by default the OAuth bearer token, verified against our own keys. */
  readonly resolveCustomer?: CustomerResolver;
  /** Replaces the authorization server's outbound fetch, resolver and CIMD host allowlist (tests serve documents locally). */
  readonly oauth?: Pick<AuthorizationServerDeps, 'fetch' | 'resolve' | 'cimdHosts' | 'clock'>;
  /** Where the Stripe API is: only tests point it at a fake Stripe on loopback. */
  readonly stripeEndpoint?: StripeEndpoint;
  /** Order webhook timings and fetch (tests retry in milliseconds). */
  readonly webhooks?: WebhookDeliveryOptions;
  /** Nightly backup timings (tests catch up in milliseconds), and where mounts and disks are read (a fake tree). */
  readonly backups?: Pick<BackupsDeps, 'catchUpDelayMs' | 'atMinutes' | 'keep'> & {
    readonly drives?: DriveRoots;
  };
  /** How the public URL self-check reaches PUBLIC_URL (tests route it to loopback), and its timings. */
  readonly publicUrlCheck?: Pick<PublicUrlCheckDeps, 'fetch' | 'quickTunnel' | 'retryMs' | 'recheckMs'>;
  /** How often the clock is checked for jumps, and the build time to hold it to (tests; else dist/build.json). */
  readonly clockWatch?: { readonly checkMs?: number; readonly builtAt?: ClockWatchDeps['builtAt'] };
  /** Print queue timings (tests retry in milliseconds). */
  readonly printing?: PrintQueueOptions;
  /** A GPIO port the caller holds (tests keep the simulated one to press its button); else GPIO decides. */
  readonly gpio?: GpioPort;
  /** How costly a new owner password's hash is: DEFAULT_SCRYPT_COST unless a test that logs in often asks less. */
  readonly passwordCost?: ScryptCost;
}
