import type { Store } from './database.js';
import { ANSWER_DICTIONARIES, CURRENT_ANSWER_DICTIONARY } from './idempotency-dictionary.js';
import { idempotencyLookup } from './idempotency-lookup.js';
import { packJson, unpackJson } from './packed-json.js';

/** What `begin` found for a key. */
export type IdempotencyBegin =
  | { readonly kind: 'started' }
  | { readonly kind: 'replay'; readonly status: number; readonly response: string }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'in_flight' };

/**
 * Idempotency records: request hash, stored response, retention. One row per (scope, key), found by
 * their digest (src/store/idempotency-lookup.ts).
 */
export interface IdempotencyRepo {
  /** Claims the key for this request, or says what an earlier request with the key left. */
  begin(scope: string, key: string, requestHash: string, nowMs: number): IdempotencyBegin;
  /**
   * What an earlier request with the key left, claiming nothing: for a caller inside the write
   * transaction that also runs the effect and `save`s its answer (no other writer can come between).
   */
  find(scope: string, key: string, requestHash: string, nowMs: number): IdempotencyBegin;
  /** Stores a finished answer in one write, after `find` said `started`, in the same transaction. */
  save(
    scope: string,
    key: string,
    requestHash: string,
    nowMs: number,
    answer: { readonly status: number; readonly response: string },
  ): void;
  /** Stores the response; call inside the transaction that made the effect, so both commit together. */
  complete(scope: string, key: string, status: number, response: string): void;
  /** Gives the key back after a failure that changed nothing, so a retry can run. */
  release(scope: string, key: string): void;
  /** Drops every in-flight claim: at boot, any such claim belongs to a process that died before committing. */
  releaseAbandoned(): number;
  /** Deletes records past their retention; returns how many. */
  purgeExpired(nowMs: number): number;
}

/** Records are kept 24 hours, as the ACP spec asks of sellers. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

interface Row {
  request_hash: string;
  state: 'in_flight' | 'done';
  status: number | null;
  /** Deflated JSON; TEXT in rows an older build wrote (migration 21). */
  response: Buffer | string | null;
  /** The preset dictionary `response` was deflated with; null in rows an older build wrote (migration 28). */
  dictionary: number | null;
  expires_at: number;
}

/**
 * Answers are stored deflated with a preset dictionary (src/store/idempotency-dictionary.ts): a fraction
 * of a page, so one page written per answer instead of a leaf and its overflow pages.
 */
function packed(response: string): Buffer {
  return packJson(response, dictionary(CURRENT_ANSWER_DICTIONARY));
}

function dictionary(version: number): Buffer {
  const found = ANSWER_DICTIONARIES.get(version);
  if (found === undefined) throw new Error(`idempotency answer dictionary ${version} is unknown`);
  return found;
}

function unpacked(row: Row): string {
  const { response } = row;
  if (response === null) return '';
  if (typeof response === 'string') return response;
  return unpackJson(response, row.dictionary === null ? undefined : dictionary(row.dictionary));
}

/** Creates the idempotency repository. */
export function createIdempotencyRepo({ store }: { store: Store }): IdempotencyRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO idempotency_keys (lookup, request_hash, state, created_at, expires_at)
     VALUES (?, ?, 'in_flight', ?, ?) ON CONFLICT (lookup) DO NOTHING`,
  );
  const select = db.prepare(
    'SELECT request_hash, state, status, dictionary, response, expires_at FROM idempotency_keys WHERE lookup = ?',
  );
  const remove = db.prepare('DELETE FROM idempotency_keys WHERE lookup = ?');
  const finish = db.prepare(
    "UPDATE idempotency_keys SET state = 'done', status = ?, dictionary = ?, response = ? WHERE lookup = ?",
  );
  const upsertDone = db.prepare(
    `INSERT INTO idempotency_keys (lookup, request_hash, state, status, dictionary, response, created_at, expires_at)
     VALUES (?, ?, 'done', ?, ?, ?, ?, ?)
     ON CONFLICT (lookup) DO UPDATE SET request_hash = excluded.request_hash, state = 'done',
       status = excluded.status, dictionary = excluded.dictionary, response = excluded.response,
       created_at = excluded.created_at,
       expires_at = excluded.expires_at`,
  );
  const abandon = db.prepare("DELETE FROM idempotency_keys WHERE state = 'in_flight'");
  const purge = db.prepare("DELETE FROM idempotency_keys WHERE expires_at <= ? AND state = 'done'");

  /** What a found row means for a request with `hash`; undefined when the key is free (none, or expired). */
  function verdict(row: Row | undefined, hash: string, nowMs: number): IdempotencyBegin | undefined {
    if (row === undefined || (row.state === 'done' && row.expires_at <= nowMs)) return undefined;
    if (row.request_hash !== hash) return { kind: 'conflict' };
    if (row.state === 'in_flight') return { kind: 'in_flight' };
    return { kind: 'replay', status: row.status ?? 200, response: unpacked(row) };
  }

  function claim(lookup: Buffer, hash: string, nowMs: number): IdempotencyBegin {
    if (insert.run(lookup, hash, nowMs, nowMs + IDEMPOTENCY_RETENTION_MS).changes === 1)
      return { kind: 'started' };
    const row = select.get(lookup) as Row | undefined;
    if (row === undefined) return { kind: 'in_flight' };
    const found = verdict(row, hash, nowMs);
    if (found !== undefined) return found;
    remove.run(lookup);
    insert.run(lookup, hash, nowMs, nowMs + IDEMPOTENCY_RETENTION_MS);
    return { kind: 'started' };
  }

  return {
    begin: (scope, key, hash, nowMs) =>
      store.transaction(() => claim(idempotencyLookup(scope, key), hash, nowMs)),
    find: (scope, key, hash, nowMs) =>
      verdict(select.get(idempotencyLookup(scope, key)) as Row | undefined, hash, nowMs) ?? {
        kind: 'started',
      },
    save(scope, key, hash, nowMs, answer) {
      upsertDone.run(
        idempotencyLookup(scope, key),
        hash,
        answer.status,
        CURRENT_ANSWER_DICTIONARY,
        packed(answer.response),
        nowMs,
        nowMs + IDEMPOTENCY_RETENTION_MS,
      );
    },
    complete(scope, key, status, response) {
      store.transaction(() =>
        finish.run(status, CURRENT_ANSWER_DICTIONARY, packed(response), idempotencyLookup(scope, key)),
      );
    },
    release(scope, key) {
      store.transaction(() => remove.run(idempotencyLookup(scope, key)));
    },
    releaseAbandoned: () => store.transaction(() => abandon.run().changes),
    purgeExpired: (nowMs) => store.transaction(() => purge.run(nowMs).changes),
  };
}
