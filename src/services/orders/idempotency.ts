import { createHash } from 'node:crypto';
import { AppError } from '../../domain/app-error.js';
import { MAX_WALK_DEPTH, tooDeep } from '../../domain/json-depth.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/database.js';
import type { IdempotencyRepo } from '../../store/idempotency-repo.js';

/** A response that may be stored and replayed. */
export interface IdempotentResult<T> {
  readonly status: number;
  readonly body: T;
}

/** Names one request for idempotency: who (scope: API key + endpoint), which key, what body. */
export interface IdempotentRequest {
  readonly scope: string;
  readonly key: string;
  readonly body: unknown;
}

/** An answer as executeSync/executeGrouped give it: `text` is the body's JSON, as stored for replays. */
export type IdempotentAnswer<T> = IdempotentResult<T> & { readonly replayed: boolean; readonly text: string };

/** How executeSync/executeGrouped run. */
export interface IdempotentOptions<T> {
  /** Commits with synchronous=FULL (money, paid orders); executeSync only. */
  readonly durable?: boolean;
  /**
   * Runs in the same transaction once the answer is known, a replay's included: the call's audit row
   * then commits with the change it records, in the same commit. When it throws, nothing commits.
   */
  readonly settled?: (answer: IdempotentAnswer<T>) => void;
}

/** Runs state changes at most once per key: same key + same request → the stored response. */
export interface Idempotency {
  /**
   * The effect runs in the same SQLite transaction that stores its response, so a crash leaves either
   * both or neither: exactly once. `durable` commits with synchronous=FULL (money, paid orders).
   */
  executeSync<T>(
    request: IdempotentRequest,
    effect: () => IdempotentResult<T>,
    options?: IdempotentOptions<T>,
  ): IdempotentAnswer<T>;
  /**
   * As executeSync (not durable), but in the store's group commit: the effect runs now, the answer
   * resolves once the group holding it has committed. A duplicate in the same group sees the first
   * one's stored answer, so a replay never leaves before the original is committed.
   */
  executeGrouped<T>(
    request: IdempotentRequest,
    effect: () => IdempotentResult<T>,
    options?: Pick<IdempotentOptions<T>, 'settled'>,
  ): Promise<IdempotentAnswer<T>>;
  /** For effects that wait on something outside the store; concurrent duplicates get idempotency_in_flight. */
  execute<T>(
    request: IdempotentRequest,
    effect: () => Promise<IdempotentResult<T>> | IdempotentResult<T>,
  ): Promise<IdempotentResult<T> & { readonly replayed: boolean }>;
}

/**
 * Canonical JSON: object keys sorted, so `{a,b}` and `{b,a}` hash the same. A value nested deeper than
 * MAX_WALK_DEPTH is refused (`invalid_input`) instead of running out of stack.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0);
}

function canonical(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_WALK_DEPTH) throw tooDeep(MAX_WALK_DEPTH);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonical(value[i], depth + 1);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // sort() without a comparator orders by UTF-16 code units, as `<` does.
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out === '{' ? '' : ','}${JSON.stringify(key)}:${canonical(item, depth + 1)}`;
  }
  return `${out}}`;
}

/** SHA-256 of the canonical JSON of a request body. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function refuse(kind: 'conflict' | 'in_flight'): AppError {
  return kind === 'conflict'
    ? new AppError(
        'idempotency_conflict',
        'This idempotency key was already used with a different request. Use a new key for a new request.',
      )
    : new AppError(
        'idempotency_in_flight',
        'A request with this idempotency key is still running. Retry shortly.',
        {
          retryAfter: 1,
        },
      );
}

/**
 * Creates the idempotency runner. Results under 500 are stored (a business error is an answer too);
 * a thrown error stores nothing, so the client may retry.
 */
export function createIdempotency(deps: { repo: IdempotencyRepo; store: Store; clock: Clock }): Idempotency {
  const { repo, store, clock } = deps;
  /** The effect behind its key's claim, its answer stored beside it: run inside one transaction. */
  function atMostOnce<T>(
    request: IdempotentRequest,
    effect: () => IdempotentResult<T>,
    settled?: (answer: IdempotentAnswer<T>) => void,
  ) {
    return (): IdempotentAnswer<T> => {
      const answer = answerOnce(request, effect);
      settled?.(answer);
      return answer;
    };
  }

  /** The stored answer for the key, or the effect's, stored now: inside the caller's write transaction. */
  function answerOnce<T>(request: IdempotentRequest, effect: () => IdempotentResult<T>): IdempotentAnswer<T> {
    const hash = requestHash(request.body);
    const now = clock.now().getTime();
    // Inside the write transaction nobody else can take the key between this look and the save.
    const found = repo.find(request.scope, request.key, hash, now);
    if (found.kind === 'conflict' || found.kind === 'in_flight') throw refuse(found.kind);
    if (found.kind === 'replay') {
      const text = found.response;
      return { status: found.status, body: JSON.parse(text), replayed: true, text };
    }
    const result = effect();
    if (result.status >= 500) throw new AppError('internal', 'The request failed; nothing was changed.');
    const text = JSON.stringify(result.body);
    repo.save(request.scope, request.key, hash, now, { status: result.status, response: text });
    return { ...result, replayed: false, text };
  }

  return {
    executeSync(request, effect, options = {}) {
      const run = atMostOnce(request, effect, options.settled);
      return options.durable === true ? store.durableTransaction(run) : store.transaction(run);
    },
    executeGrouped: (request, effect, options = {}) =>
      store.group(atMostOnce(request, effect, options.settled)),
    async execute(request, effect) {
      const begun = repo.begin(request.scope, request.key, requestHash(request.body), clock.now().getTime());
      if (begun.kind === 'conflict' || begun.kind === 'in_flight') throw refuse(begun.kind);
      if (begun.kind === 'replay')
        return { status: begun.status, body: JSON.parse(begun.response), replayed: true };
      try {
        const result = await effect();
        if (result.status >= 500) repo.release(request.scope, request.key);
        else repo.complete(request.scope, request.key, result.status, JSON.stringify(result.body));
        return { ...result, replayed: false };
      } catch (error) {
        repo.release(request.scope, request.key);
        throw error;
      }
    },
  };
}
