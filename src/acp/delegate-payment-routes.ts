import type { Hono } from 'hono';
import { isAppError } from '../domain/app-error.js';
import { MAX_WALK_DEPTH, tooDeep } from '../domain/json-depth.js';
import type { AppEnv } from '../http/app.js';
import type { AcpKeys } from '../services/checkout/acp-keys.js';
import type { PaymentVault } from '../services/payments/payment-vault.js';
import { type AcpErrorResponse, acpError, jsonPath } from './acp-error.js';
import { type AcpPostDeps, acpGuard, acpPost } from './acp-request.js';
import { invalidRequest, parseDelegateRequest } from './delegate-payment-schema.js';

/** ACP delegate payment RFC §3.1. */
export const DELEGATE_PAYMENT_PATH = '/agentic_commerce/delegate_payment';

export interface DelegatePaymentDeps extends AcpPostDeps {
  readonly keys: AcpKeys;
  readonly vault: PaymentVault;
}

/** The `code` values the delegate payment `Error` schema allows (closed, unlike checkout's). */
const ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_card',
  'duplicate_request',
  'idempotency_conflict',
  'too_many_requests',
  'idempotency_key_required',
  'idempotency_in_flight',
]);

/**
 * The shared ACP answers in this endpoint's vocabulary: a request error with a code its `Error` does
 * not list (`invalid_json`, `invalid`) becomes `invalid_card`, the code its OpenAPI uses for any
 * malformed field; unparseable JSON names the whole body (`$`).
 */
export function delegatePaymentError(error: AcpErrorResponse): AcpErrorResponse {
  if (error.status >= 500 || ERROR_CODES.has(error.body.code)) return error;
  const param = error.body.param ?? (error.body.code === 'invalid_json' ? '$' : undefined);
  return acpError(error.status, 'invalid_card', error.body.message, {
    ...(param === undefined ? {} : { param }),
    ...(error.headers === undefined ? {} : { headers: { ...error.headers } }),
  });
}

/** A card number's digits as PCI DSS allows them shown: the first six and the last four. */
function truncated(digits: string): string {
  return `${digits.slice(0, 6)}${'*'.repeat(Math.max(0, digits.length - 10))}${digits.slice(-4)}`;
}

/** `value` with card numbers truncated and the CVC starred; refused past MAX_WALK_DEPTH (`invalid_input`). */
function masked(value: unknown, key: string | undefined, depth: number): unknown {
  if (typeof value === 'string') {
    if (key === 'cvc') return '*'.repeat(value.length);
    return value.replace(/[0-9]{12,19}/g, truncated);
  }
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e11) {
    // BigInt spells every digit: String(1e21) would be "1e+21".
    return truncated(BigInt(Math.abs(value)).toString());
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_WALK_DEPTH) throw tooDeep(MAX_WALK_DEPTH);
  if (Array.isArray(value)) return value.map((item) => masked(item, undefined, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k, depth + 1)]));
}

/**
 * What idempotency hashes instead of the body: card numbers cut to their first six and last four
 * digits, the CVC to its length. A plain SHA-256 of a body with a card number in it could be
 * brute-forced back (PCI DSS 3.5.1 wants no unkeyed hash of a PAN); the price is that the same key
 * reused with another card alike in those digits replays instead of answering 422.
 */
export function delegatePaymentFingerprint(body: unknown): unknown {
  return masked(body, undefined, 0);
}

/**
 * Mounts `POST /agentic_commerce/delegate_payment`: API key, API-Version, Idempotency-Key, then the
 * vault. The body is never logged; an answer never quotes a card field, since answers are stored.
 */
export function mountDelegatePayment(app: Hono<AppEnv>, deps: DelegatePaymentDeps): void {
  app.post(DELEGATE_PAYMENT_PATH, acpGuard(deps.keys), (c) =>
    acpPost(
      c,
      deps,
      'delegate_payment',
      (body, key) => {
        const parsed = parseDelegateRequest(body);
        if (!parsed.ok) return parsed.error;
        try {
          const token = deps.vault.delegate(key.id, parsed.value);
          return {
            status: 201,
            body: {
              id: token.id,
              created: token.created.toISOString(),
              // RFC §2.4: correlation data echoed under metadata.
              metadata: {
                ...parsed.value.metadata,
                merchant_id: deps.vault.merchantId,
                idempotency_key: c.req.header('idempotency-key') ?? '',
              },
            },
          };
        } catch (error) {
          if (!isAppError(error, 'invalid_input')) throw error;
          return invalidRequest(error.message, jsonPath(error.violations[0]?.path));
        }
      },
      // Not durable (DESIGN.md): a new token records no money; spending it is the FULL commit. Power
      // lost before the next FULL commit can lose it, and the complete that names it is then refused
      // with nothing charged, so the agent delegates again. One fsync fewer per card order.
      { fingerprint: delegatePaymentFingerprint, mapError: delegatePaymentError },
    ),
  );
}
