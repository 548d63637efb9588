import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../domain/app-error.js';
import { MAX_WALK_DEPTH } from '../../domain/json-depth.js';
import { createManualClock } from '../../platform/clock.js';
import { openStore } from '../../store/database.js';
import { createIdempotencyRepo, IDEMPOTENCY_RETENTION_MS } from '../../store/idempotency-repo.js';
import { canonicalJson, createIdempotency } from './idempotency.js';

function setup() {
  const store = openStore({ file: ':memory:' });
  store.db.exec('CREATE TABLE effects (id INTEGER PRIMARY KEY, note TEXT NOT NULL)');
  const clock = createManualClock('2026-11-24T12:00:00Z');
  const repo = createIdempotencyRepo({ store });
  const idempotency = createIdempotency({ repo, store, clock });
  const addEffect = (note: string) => {
    const { lastInsertRowid } = store.db.prepare('INSERT INTO effects (note) VALUES (?)').run(note);
    return { status: 201, body: { id: Number(lastInsertRowid), note } };
  };
  const count = () => (store.db.prepare('SELECT count(*) AS n FROM effects').get() as { n: number }).n;
  return { store, clock, repo, idempotency, addEffect, count };
}

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('idempotency', () => {
  it('replays the stored response for the same key and body, with one effect', () => {
    const { idempotency, addEffect, count } = setup();
    const request = { scope: 'acp:key1:POST /checkout_sessions', key: 'k-1', body: { a: 1, b: [1, 2] } };
    const first = idempotency.executeSync(request, () => addEffect('first'));
    const again = idempotency.executeSync({ ...request, body: { b: [1, 2], a: 1 } }, () =>
      addEffect('second'),
    );
    const text = '{"id":1,"note":"first"}';
    expect(first).toEqual({ status: 201, body: { id: 1, note: 'first' }, replayed: false, text });
    expect(again).toEqual({ status: 201, body: { id: 1, note: 'first' }, replayed: true, text });
    expect(count()).toBe(1);
  });

  it('in a group commit: duplicates of one turn get one effect, answered after its commit', async () => {
    const { idempotency, addEffect, count } = setup();
    const request = { scope: 'acp key1 /checkout_sessions', key: 'k-g', body: { a: 1 } };
    const answers = [
      idempotency.executeGrouped(request, () => addEffect('first')),
      idempotency.executeGrouped(request, () => addEffect('second')),
      idempotency.executeGrouped({ ...request, body: { a: 2 } }, () => addEffect('third')),
    ];
    const [first, again, other] = await Promise.allSettled(answers);
    expect(first).toMatchObject({ value: { body: { id: 1, note: 'first' }, replayed: false } });
    expect(again).toMatchObject({ value: { body: { id: 1, note: 'first' }, replayed: true } });
    expect(other).toMatchObject({ status: 'rejected', reason: { code: 'idempotency_conflict' } });
    expect(count()).toBe(1);
  });

  it('refuses the same key with a different body, and keeps keys apart per scope', async () => {
    const { idempotency, addEffect, count } = setup();
    idempotency.executeSync({ scope: 's1', key: 'k', body: { qty: 1 } }, () => addEffect('one'));
    expect(
      await codeOf(() =>
        idempotency.executeSync({ scope: 's1', key: 'k', body: { qty: 2 } }, () => addEffect('x')),
      ),
    ).toBe('idempotency_conflict');
    expect(
      idempotency.executeSync({ scope: 's2', key: 'k', body: { qty: 2 } }, () => addEffect('two')).replayed,
    ).toBe(false);
    expect(count()).toBe(2);
  });

  it('rolls back the effect and frees the key when the effect throws', async () => {
    const { idempotency, addEffect, count } = setup();
    const request = { scope: 's', key: 'k', body: {} };
    const failing = () =>
      idempotency.executeSync(request, () => {
        addEffect('half-done');
        throw new AppError('item_sold_out', 'Sold out');
      });
    expect(await codeOf(failing)).toBe('item_sold_out');
    expect(count()).toBe(0);
    expect(idempotency.executeSync(request, () => addEffect('retry')).body).toEqual({ id: 1, note: 'retry' });
  });

  it('runs settled in the transaction of the answer, replays included: when it throws, nothing is kept', async () => {
    const { store, idempotency, addEffect, count } = setup();
    store.db.exec('CREATE TABLE notes (text TEXT NOT NULL)');
    const note = (answer: { replayed: boolean }) =>
      store.db.prepare('INSERT INTO notes (text) VALUES (?)').run(answer.replayed ? 'replay' : 'first');
    const request = { scope: 's', key: 'k', body: {} };
    const refused = () =>
      idempotency.executeSync(request, () => addEffect('x'), {
        settled: () => {
          throw new AppError('storage_full', 'No room');
        },
      });
    expect(await codeOf(refused)).toBe('storage_full');
    expect(count()).toBe(0);
    await idempotency.executeGrouped(request, () => addEffect('kept'), { settled: note });
    idempotency.executeSync(request, () => addEffect('again'), { settled: note });
    expect(count()).toBe(1);
    expect(store.db.prepare('SELECT text FROM notes').pluck().all()).toEqual(['first', 'replay']);
  });

  it('commits a durable effect with synchronous=FULL and returns to NORMAL after', () => {
    const { store, idempotency } = setup();
    let during = -1;
    idempotency.executeSync(
      { scope: 's', key: 'paid', body: {} },
      () => {
        during = store.db.pragma('synchronous', { simple: true }) as number;
        return { status: 200, body: {} };
      },
      { durable: true },
    );
    expect(during).toBe(2);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('answers idempotency_in_flight to a duplicate while the first is still running, then replays', async () => {
    const { idempotency, count, addEffect } = setup();
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const request = { scope: 's', key: 'slow', body: { x: 1 } };
    const first = idempotency.execute(request, async () => {
      await gate;
      return addEffect('slow');
    });
    expect(await codeOf(idempotency.execute(request, async () => addEffect('dup')))).toBe(
      'idempotency_in_flight',
    );
    finish();
    expect((await first).replayed).toBe(false);
    expect((await idempotency.execute(request, async () => addEffect('late'))).body).toEqual({
      id: 1,
      note: 'slow',
    });
    expect(count()).toBe(1);
  });

  it('drops abandoned in-flight claims at boot and expired records after 24 hours', () => {
    const { repo, clock, idempotency, addEffect } = setup();
    const now = clock.now().getTime();
    expect(repo.begin('s', 'crashed', 'h', now)).toEqual({ kind: 'started' });
    expect(repo.begin('s', 'crashed', 'h', now)).toEqual({ kind: 'in_flight' });
    expect(repo.releaseAbandoned()).toBe(1);
    expect(repo.begin('s', 'crashed', 'h', now)).toEqual({ kind: 'started' });
    idempotency.executeSync({ scope: 's', key: 'old', body: {} }, () => addEffect('old'));
    expect(repo.purgeExpired(now + IDEMPOTENCY_RETENTION_MS - 1)).toBe(0);
    expect(repo.purgeExpired(now + IDEMPOTENCY_RETENTION_MS)).toBe(1);
  });

  it('hashes objects canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('hashes values as deep as the walkers allow, and refuses deeper ones with invalid_input, not a RangeError', () => {
    // Keys written in sorted order, so the canonical form is JSON.stringify's; and the same value
    // with its keys the other way round.
    const deep = (levels: number, sorted = true): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i += 1) {
        value = i % 2 === 0 ? [value, 'x'] : sorted ? { a: null, z: value } : { z: value, a: null };
      }
      return value;
    };
    expect(canonicalJson(deep(MAX_WALK_DEPTH))).toBe(JSON.stringify(deep(MAX_WALK_DEPTH)));
    expect(canonicalJson(deep(MAX_WALK_DEPTH, false))).toBe(JSON.stringify(deep(MAX_WALK_DEPTH)));
    for (const levels of [MAX_WALK_DEPTH + 1, 10_000]) {
      expect(() => canonicalJson(deep(levels))).toThrow(
        expect.objectContaining({
          code: 'invalid_input',
          violations: [expect.objectContaining({ path: '' })],
        }),
      );
    }
  });
});
