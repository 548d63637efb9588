import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Stripe received. */
export interface StripeCall {
  readonly method: string;
  readonly path: string;
  /** Form-encoded body as Stripe's API takes it: `line_items[0][quantity]` → "2". */
  readonly params: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly stripeVersion: string | undefined;
  /** True when the answer was a replay of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

/** An error answer to send next, as Stripe shapes them (`{ error: { type, code, message } }`). */
export interface StripeFailure {
  readonly status: number;
  readonly type: string;
  readonly code?: string;
  readonly message: string;
}

/** A loopback server answering the Stripe endpoints counterpi calls, recording what it received. */
export interface FakeStripe {
  readonly endpoint: { host: string; port: number; protocol: 'http' };
  readonly calls: StripeCall[];
  /** Answers the next new (not replayed) request with this error. */
  failNext(failure: StripeFailure): void;
  /** The `status` new refunds get (`succeeded` unless told otherwise). */
  refundStatus: string;
  close(): Promise<void>;
}

interface Stored {
  readonly body: string;
  readonly status: number;
  readonly json: unknown;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function amountTotal(params: Readonly<Record<string, string>>): number {
  let total = 0;
  for (let i = 0; params[`line_items[${i}][quantity]`] !== undefined; i += 1) {
    total +=
      Number(params[`line_items[${i}][quantity]`]) *
      Number(params[`line_items[${i}][price_data][unit_amount]`]);
  }
  return total;
}

function metadataOf(params: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const match = new RegExp(`^${prefix.replace(/[[\]]/g, '\\$&')}\\[(\\w+)\\]$`).exec(key);
    if (match?.[1] !== undefined) out[match[1]] = value;
  }
  return out;
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeStripe(): Promise<FakeStripe> {
  const calls: StripeCall[] = [];
  const byKey = new Map<string, Stored>();
  const failures: StripeFailure[] = [];
  let counter = 0;

  function answer(path: string, params: Readonly<Record<string, string>>): { status: number; json: unknown } {
    const failure = failures.shift();
    if (failure !== undefined) {
      const { status, ...error } = failure;
      return { status, json: { error } };
    }
    counter += 1;
    if (path === '/v1/checkout/sessions') {
      const id = `cs_test_${counter}`;
      return {
        status: 200,
        json: {
          id,
          object: 'checkout.session',
          mode: 'payment',
          status: 'open',
          payment_status: 'unpaid',
          url: `https://checkout.stripe.test/c/pay/${id}`,
          amount_total: amountTotal(params),
          currency: params['line_items[0][price_data][currency]'],
          client_reference_id: params.client_reference_id ?? null,
          metadata: metadataOf(params, 'metadata'),
          expires_at: Number(params.expires_at),
          payment_intent: null,
        },
      };
    }
    if (path === '/v1/refunds') {
      return {
        status: 200,
        json: {
          id: `re_test_${counter}`,
          object: 'refund',
          amount: Number(params.amount),
          currency: 'usd',
          payment_intent: params.payment_intent ?? null,
          charge: params.charge ?? null,
          status: fake.refundStatus,
          metadata: metadataOf(params, 'metadata'),
        },
      };
    }
    return {
      status: 404,
      json: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${path}).` } },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const params = Object.fromEntries(new URLSearchParams(body));
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const key = req.headers['idempotency-key'] as string | undefined;
    const earlier = key === undefined ? undefined : byKey.get(key);
    let reply: { status: number; json: unknown };
    if (earlier !== undefined && earlier.body !== body) {
      reply = {
        status: 400,
        json: {
          error: {
            type: 'idempotency_error',
            message:
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          },
        },
      };
    } else {
      reply = earlier ?? answer(path, params);
      // Stripe stores the outcome of a key unless the request failed on its side (5xx, 429).
      if (key !== undefined && earlier === undefined && reply.status < 500 && reply.status !== 429) {
        byKey.set(key, { body, ...reply });
      }
    }
    calls.push({
      method: req.method ?? '',
      path,
      params,
      authorization: req.headers.authorization,
      idempotencyKey: key,
      stripeVersion: req.headers['stripe-version'] as string | undefined,
      replayed: earlier !== undefined,
    });
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'request-id': `req_${calls.length}`,
      ...(earlier === undefined ? {} : { 'idempotent-replayed': 'true' }),
    });
    res.end(JSON.stringify(reply.json));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeStripe = {
    endpoint: { host: '127.0.0.1', port, protocol: 'http' },
    calls,
    failNext: (failure) => failures.push(failure),
    refundStatus: 'succeeded',
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
  return fake;
}
