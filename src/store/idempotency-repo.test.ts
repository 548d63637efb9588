import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { openStore } from './database.js';
import { ANSWER_DICTIONARIES } from './idempotency-dictionary.js';
import { idempotencyLookup } from './idempotency-lookup.js';
import { createIdempotencyRepo } from './idempotency-repo.js';
import { runMigrations } from './migrations.js';

const tempDir = tempDirs();

const SCOPE = 'acp key_1 /checkout_sessions';

function tempFile(): string {
  return join(tempDir('counterpi-idem-'), 'counterpi.db');
}

/** A checkout session answer of another shop than the dictionary's sample, with its own ids and times. */
function sessionAnswer(): string {
  const sample = JSON.parse((ANSWER_DICTIONARIES.get(1) as Buffer).toString('utf8')) as Record<
    string,
    unknown
  >;
  return JSON.stringify({
    ...sample,
    id: 'cs_k2j4h5g6f7d8s9a0',
    status: 'ready_for_payment',
    created_at: '2027-03-02T09:14:03.112Z',
    updated_at: '2027-03-02T09:14:05.871Z',
    buyer: { full_name: 'Ada Lovelace', email: 'ada@example.org', phone_number: '+442079460000' },
  });
}

describe('idempotency answers', () => {
  it('keeps released dictionaries byte for byte: stored rows are read with them', () => {
    const hash = createHash('sha256')
      .update(ANSWER_DICTIONARIES.get(1) as Buffer)
      .digest('hex');
    expect(hash).toBe('946c7047789a38adda8d1c21ab618dcb8dca3d59969c86acfd65d8e97c19e37c');
  });

  it('stores a checkout session in a fraction of a 1 KB page, naming its dictionary, and replays it', () => {
    const store = openStore({ file: tempFile() });
    const repo = createIdempotencyRepo({ store });
    const answer = sessionAnswer();
    store.transaction(() => repo.save(SCOPE, 'k', 'h', 1, { status: 201, response: answer }));
    const row = store.db
      .prepare('SELECT dictionary, length(response) AS bytes FROM idempotency_keys WHERE lookup = ?')
      .get(idempotencyLookup(SCOPE, 'k')) as { dictionary: number; bytes: number };
    expect(row.dictionary).toBe(1);
    expect(row.bytes).toBeLessThan(400);
    expect(repo.find(SCOPE, 'k', 'h', 2)).toEqual({ kind: 'replay', status: 201, response: answer });
    store.close();
  });

  it('replays the plain deflated answers an older build stored, after migration 28', () => {
    const file = tempFile();
    const raw = new Database(file);
    runMigrations(raw, 27);
    const answer = sessionAnswer();
    raw
      .prepare(
        `INSERT INTO idempotency_keys (scope, key, request_hash, state, status, response, created_at, expires_at)
         VALUES (?, 'old', 'h', 'done', 201, ?, 1, 9e12)`,
      )
      .run(SCOPE, deflateRawSync(answer));
    raw.close();
    const store = openStore({ file });
    const repo = createIdempotencyRepo({ store });
    expect(repo.find(SCOPE, 'old', 'h', 2)).toEqual({ kind: 'replay', status: 201, response: answer });
    const dictionary = store.db.prepare('SELECT dictionary FROM idempotency_keys WHERE lookup = ?').pluck();
    expect(dictionary.get(idempotencyLookup(SCOPE, 'old'))).toBe(null);
    store.close();
  });
});
