import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { DueDelivery, WebhookRepo } from '../../store/webhook-repo.js';
import type { ReceiverPolicy, ResolveHost } from './receiver-address.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, nextAttemptAt } from './webhook-backoff.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import { createCheckedFetch, type WebhookFetch } from './webhook-transport.js';

/** Timings a test or an operator may change. */
export interface WebhookDeliveryOptions {
  /** How often due deliveries are looked for, besides right after an event is written. */
  readonly pollMs?: number;
  /** Longest one request may take. */
  readonly timeoutMs?: number;
  readonly backoff?: Partial<BackoffPolicy>;
  /** Jitter source, in [0, 1). */
  readonly random?: () => number;
  /** How a POST is sent; by default to checked addresses only (see webhook-transport.ts). */
  readonly fetch?: WebhookFetch;
  /** How host names are resolved before the check; the system resolver by default. */
  readonly resolve?: ResolveHost;
}

export interface WebhookDeliveryDeps extends WebhookDeliveryOptions {
  readonly repo: WebhookRepo;
  /** Which addresses receivers may have: public ones, and those the operator allowed. */
  readonly receivers: ReceiverPolicy;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Sends the webhook outbox: signed, retried with backoff, in order per order, across restarts. */
export interface WebhookDelivery {
  /** Makes every pending delivery due (a restart is a good moment to retry) and starts sending. */
  start(): void;
  /** Sends what is due once the current transaction has committed. */
  wake(): void;
  /** For `/ready`: deliveries failing now or given up within the last day. */
  health(): { readonly ok: boolean; readonly detail: string };
  /** Stops sending; a request cut short is not counted and goes again after the restart. */
  stop(): Promise<void>;
}

const BATCH = 16;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Delivered and failed rows are kept this long for `webhook list` and the owner's questions. */
const KEEP_FINISHED_MS = 30 * DAY_MS;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** What went wrong, short and without the URL (which may carry a token). */
function describeError(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if ([error, cause].some((e) => e instanceof DOMException && e.name === 'TimeoutError'))
    return `timed out after ${timeoutMs} ms`;
  const own = (error as { code?: unknown }).code;
  const text =
    cause?.code ?? cause?.message ?? own ?? (error instanceof Error ? error.message : String(error));
  return String(text).slice(0, 200);
}

/** Creates the delivery worker; nothing is sent before `start()`. */
export function createWebhookDelivery(deps: WebhookDeliveryDeps): WebhookDelivery {
  const { repo, clock } = deps;
  const log = deps.log.child({ module: 'webhooks' });
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...deps.backoff };
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const send = deps.fetch ?? createCheckedFetch({ receivers: deps.receivers, resolve: deps.resolve });
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let purgedAt = Number.NEGATIVE_INFINITY;

  async function attempt(row: DueDelivery): Promise<void> {
    const at = clock.now();
    let status: number | undefined;
    let error: string;
    try {
      const response = await send(row.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(row.secret, row.payload, at.getTime() / 1000),
          // The event id, the same on every retry, so a receiver can drop duplicates.
          'Request-Id': row.eventId,
          Timestamp: at.toISOString(),
        },
        body: row.payload,
        // A redirect would carry a signed order to an address the owner never gave.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
      });
      status = response.status;
      await response.body?.cancel();
      if (response.ok) {
        repo.markDelivered(row.id, status, clock.now().getTime());
        return;
      }
      error = `HTTP ${status}`;
    } catch (caught) {
      if (stopping.signal.aborted) return;
      error = describeError(caught, timeoutMs);
    }
    failed(row, status, error);
  }

  function failed(row: DueDelivery, status: number | undefined, error: string): void {
    const nowMs = clock.now().getTime();
    const next = nextAttemptAt(
      policy,
      { attempts: row.attempts + 1, createdAt: row.createdAt },
      nowMs,
      deps.random,
    );
    repo.markFailedAttempt(row.id, { status, error, atMs: nowMs, nextAttemptAt: next });
    const fields = {
      delivery_id: row.id,
      event_id: row.eventId,
      endpoint_id: row.endpointId,
      host: new URL(row.url).host,
      attempt: row.attempts + 1,
      status,
      error,
    };
    if (next === undefined) log.error(fields, 'webhook delivery failed for good; it will not be retried');
    else
      log.warn({ ...fields, retry_at: new Date(next).toISOString() }, 'webhook delivery failed; will retry');
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        const rows = repo.due(clock.now().getTime(), BATCH);
        if (rows.length === 0 || stopping.signal.aborted) break;
        await Promise.all(rows.map(attempt));
      }
      purgeNowAndThen();
    } while (again && !stopping.signal.aborted);
  }

  function purgeNowAndThen(): void {
    const nowMs = clock.now().getTime();
    if (nowMs - purgedAt < PURGE_EVERY_MS) return;
    purgedAt = nowMs;
    repo.purgeFinished(nowMs - KEEP_FINISHED_MS);
  }

  function kick(): void {
    if (stopping.signal.aborted) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) =>
        log.error({ err: error }, 'webhook delivery stopped on an error; retrying soon'),
      )
      .finally(() => {
        running = undefined;
      });
  }

  return {
    start() {
      const pending = repo.makePendingDue(clock.now().getTime());
      if (pending > 0) log.info({ pending }, 'sending webhook deliveries left from before the restart');
      timer = setInterval(kick, deps.pollMs ?? 1000);
      timer.unref();
      kick();
    },
    wake() {
      // Inside a transaction still: the rows are visible once it commits, after this turn.
      setImmediate(kick);
    },
    health() {
      const nowMs = clock.now().getTime();
      const { pending, retrying, failedSince } = repo.stats(nowMs - DAY_MS);
      return {
        ok: retrying === 0 && failedSince === 0,
        detail: `${pending} pending (${retrying} retrying), ${failedSince} given up in the last 24 h`,
      };
    },
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
