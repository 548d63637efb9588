import Stripe from 'stripe';

/** Where the Stripe API is: only tests point it elsewhere (a fake Stripe on loopback). */
export interface StripeEndpoint {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

export interface StripeClientOptions {
  readonly secretKey: string;
  readonly endpoint?: StripeEndpoint | undefined;
  /**
   * Retries of a failed request inside one call, with the same idempotency key, so never a second
   * charge; 0 in tests that want the failure itself.
   */
  readonly maxNetworkRetries?: number;
  readonly timeoutMs?: number;
}

/**
 * The official Stripe client, set up for a customer waiting on a page: a 10 s timeout and one retry
 * (at most about 20 s in all), no telemetry.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  return new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
    timeout: options.timeoutMs ?? 10_000,
    telemetry: false,
    appInfo: { name: 'counterpi' },
    ...(options.endpoint === undefined
      ? {}
      : { host: options.endpoint.host, port: options.endpoint.port, protocol: options.endpoint.protocol }),
  });
}
