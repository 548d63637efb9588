import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { isAppError } from '../domain/app-error.js';
import { createCheckoutRepo } from './checkout-repo.js';
import { openStore, PAGE_CACHE_KIB, type Store } from './database.js';
import { idempotencyLookup } from './idempotency-lookup.js';
import { createIdempotencyRepo } from './idempotency-repo.js';
import { runMigrations, SCHEMA_VERSION } from './migrations.js';
import { createOrdersRepo, ORDER_TRAIL_SQL } from './orders-repo.js';
import { createVaultRepo } from './vault-repo.js';

const tempDir = tempDirs();

function tempFile(): string {
  return join(tempDir('counterpi-store-'), 'counterpi.db');
}

/**
 * A store opened (so migrated to the latest schema) on a file that `write` filled at schema `version`,
 * as an older build left it.
 */
function migratedFrom(version: number, write: (raw: Database.Database) => void): Store {
  const file = tempFile();
  const raw = new Database(file);
  runMigrations(raw, version);
  write(raw);
  raw.close();
  return openStore({ file });
}

/** Rows the older-schema fixtures below refer to: customer cus_1 (Sam) and ACP key key_1. */
const CUSTOMER_SAM =
  "INSERT INTO customers (id, subject, created_at, updated_at) VALUES ('cus_1', 'sam', 1, 1)";
const ACP_KEY =
  "INSERT INTO acp_api_keys (id, name, secret_hash, hint, created_at) VALUES ('key_1', 'Agent', 'h', 'cpk_…', 1)";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'no error';
}

describe('store', () => {
  it('opens a file in WAL mode with foreign keys, a busy timeout and the latest schema', () => {
    const store = openStore({ file: tempFile(), busyTimeoutMs: 1234 });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    store.close();
  });

  it("keeps SQLite's own 2 MB page cache, not better-sqlite3's 16 MB, unless a connection asks for less", () => {
    // The size in KiB (negative), so the headers of 512-byte pages count against it too.
    const store = openStore({ file: tempFile() });
    expect(store.db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
    expect(PAGE_CACHE_KIB).toBe(2000);
    store.close();
    const small = openStore({ file: tempFile(), pageCacheKiB: 256 });
    expect(small.db.pragma('cache_size', { simple: true })).toBe(-256);
    small.close();
  });

  it('commits money with synchronous=FULL and everything else with NORMAL, rolling back on error', () => {
    const store = openStore({ file: tempFile() });
    store.db.exec('CREATE TABLE t (v INTEGER)');
    const seen: number[] = [];
    const sync = () => seen.push(store.db.pragma('synchronous', { simple: true }) as number);
    store.transaction(sync);
    store.durableTransaction(sync);
    expect(seen).toEqual([1, 2]);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(() =>
      store.durableTransaction(() => {
        store.db.prepare('INSERT INTO t VALUES (1)').run();
        throw new Error('payment provider said no');
      }),
    ).toThrow('payment provider said no');
    expect(store.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(codeOf(() => store.transaction(() => store.durableTransaction(() => 1)))).toBe('internal');
    store.close();
  });

  it('undoes only a failed step of a transaction (savepoint), and commits the rest', () => {
    const store = openStore({ file: tempFile() });
    store.db.exec('CREATE TABLE t (v INTEGER)');
    const insert = store.db.prepare('INSERT INTO t VALUES (?)');
    store.transaction(() => {
      insert.run(1);
      expect(() =>
        store.savepoint(() => {
          insert.run(2);
          throw new Error('sold out');
        }),
      ).toThrow('sold out');
      store.savepoint(() => insert.run(3));
    });
    expect(store.db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
    store.savepoint(() => insert.run(4));
    expect(store.db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    expect(store.db.inTransaction).toBe(false);
    store.close();
  });

  it('refuses a database written by a newer counterpi', () => {
    const file = tempFile();
    openStore({ file }).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(codeOf(() => openStore({ file }))).toBe('store_too_new');
  });

  it('refuses to serve a damaged database at boot (quick_check)', () => {
    const file = tempFile();
    const store = openStore({ file });
    store.db.exec('CREATE TABLE filler (v TEXT); CREATE INDEX filler_v ON filler(v);');
    const insert = store.db.prepare('INSERT INTO filler VALUES (?)');
    store.transaction(() => {
      for (let i = 0; i < 2000; i += 1) insert.run(`row ${i} ${'x'.repeat(100)}`);
    });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Scribble over the middle of the file, as a failing SD card would.
    const size = readFileSync(file).length;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expect(codeOf(() => openStore({ file }))).toBe('store_corrupt');
  });

  it('backs up online to one self-contained file, over a copy a crash left half written', () => {
    const store = openStore({ file: tempFile() });
    store.db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
    const copy = join(tempDir('counterpi-backup-'), 'nested', 'copy.db');
    mkdirSync(dirname(copy));
    writeFileSync(copy, 'half a copy');
    store.backup(copy);
    store.close();
    // Rollback journal, nothing beside it: read-only on a stick, it opens and leaves no -wal/-shm.
    const raw = new Database(copy, { readonly: true, fileMustExist: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
    expect(existsSync(`${copy}-wal`)).toBe(false);
    const restored = openStore({ file: copy });
    expect(restored.db.prepare('SELECT v FROM t').get()).toEqual({ v: 'kept' });
    restored.close();
  });

  it('backs up while orders are being written: the copy holds every row written before it', async () => {
    const store = openStore({ file: tempFile() });
    store.db.exec('CREATE TABLE t (v INTEGER)');
    const insert = store.db.prepare('INSERT INTO t VALUES (?)');
    // A write every turn of the event loop, as in a busy hour: a group commit is open at every turn.
    let writing = true;
    let written = 0;
    const write = () => {
      if (!writing) return;
      void store.group(() => insert.run(written++));
      setImmediate(write);
    };
    const turns = async (count: number) => {
      for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    };
    write();
    await turns(50);
    const copy = join(tempDir('counterpi-backup-'), 'busy.db');
    store.backup(copy);
    const before = written;
    await turns(5);
    writing = false;
    await turns(1);
    store.close();
    const restored = new Database(copy, { readonly: true, fileMustExist: true });
    expect(restored.prepare('SELECT count(*) FROM t').pluck().get()).toBe(before);
    restored.close();
  });
});

describe('group commit', () => {
  /** A store with a table, and a second connection that sees only what is committed. */
  function twoConnections() {
    const file = tempFile();
    const store = openStore({ file });
    store.db.exec('CREATE TABLE t (v INTEGER)');
    const insert = store.db.prepare('INSERT INTO t VALUES (?)');
    const other = new Database(file, { readonly: true });
    const committed = () =>
      (other.prepare('SELECT v FROM t ORDER BY v').all() as { v: number }[]).map((r) => r.v);
    const close = () => {
      other.close();
      store.close();
    };
    return { store, insert, committed, close };
  }

  it('answers the members of one turn after one shared commit, the failed one undone alone', async () => {
    const { store, insert, committed, close } = twoConnections();
    const first = store.group(() => insert.run(1).changes);
    const failed = store.group(() => {
      insert.run(2);
      throw new Error('sold out');
    });
    const third = store.group(() => {
      insert.run(3);
      expect(store.inTransaction()).toBe(true);
      return 'three';
    });
    // Nothing is committed, or answered, before the turn ends.
    expect(committed()).toEqual([]);
    expect(store.inTransaction()).toBe(false);
    await expect(failed).rejects.toThrow('sold out');
    expect(committed()).toEqual([]);
    await expect(Promise.all([first, third])).resolves.toEqual([1, 'three']);
    expect(committed()).toEqual([1, 3]);
    expect(store.db.inTransaction).toBe(false);
    close();
  });

  it('commits a waiting group before any other transaction, backup or close', async () => {
    const { store, insert, committed, close } = twoConnections();
    const grouped = store.group(() => insert.run(1));
    store.transaction(() => insert.run(2));
    expect(committed()).toEqual([1, 2]);
    await grouped;
    const again = store.group(() => insert.run(3));
    store.durableTransaction(() => insert.run(4));
    expect(committed()).toEqual([1, 2, 3, 4]);
    await again;
    const beforeSettle = store.group(() => insert.run(5));
    store.settle();
    expect(committed()).toEqual([1, 2, 3, 4, 5]);
    await beforeSettle;
    const last = store.group(() => insert.run(6));
    close();
    await expect(last).resolves.toBeDefined();
    const reopened = openStore({ file: store.db.name });
    expect(reopened.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 6 });
    reopened.close();
  });

  it('runs nested transactions of a member inside it, and refuses a group inside a transaction', async () => {
    const { store, insert, committed, close } = twoConnections();
    const member = store.group(() => store.transaction(() => store.savepoint(() => insert.run(7).changes)));
    await expect(member).resolves.toBe(1);
    expect(committed()).toEqual([7]);
    const inner: Promise<unknown>[] = [];
    store.transaction(() => {
      inner.push(store.group(() => insert.run(8)));
    });
    await expect(inner[0]).rejects.toMatchObject({ code: 'internal' });
    const outer = store.group(() => {
      const refused = expect(store.group(() => insert.run(9))).rejects.toMatchObject({ code: 'internal' });
      inner.push(refused);
      return 'outer';
    });
    await expect(outer).resolves.toBe('outer');
    await inner[1];
    expect(committed()).toEqual([7]);
    close();
  });
});

describe('migrations', () => {
  it('moves idempotency records to a rowid table (16), keeping every record and the key rule', () => {
    const store = migratedFrom(15, (raw) => {
      const old = raw.prepare(
        `INSERT INTO idempotency_keys (scope, key, request_hash, state, status, response, created_at, expires_at)
         VALUES (?, ?, 'h', 'done', 201, ?, 1, 2)`,
      );
      old.run('acp key_1 /checkout_sessions', 'k1', '{"id":"cs_1"}');
      old.run('acp key_1 /checkout_sessions', 'k2', '{"id":"cs_2"}');
    });
    const repo = createIdempotencyRepo({ store });
    for (const [key, response] of [
      ['k1', '{"id":"cs_1"}'],
      ['k2', '{"id":"cs_2"}'],
    ] as const) {
      expect(repo.find('acp key_1 /checkout_sessions', key, 'h', 0)).toEqual({
        kind: 'replay',
        status: 201,
        response,
      });
    }
    expect(() =>
      store.db
        .prepare(
          `INSERT INTO idempotency_keys (lookup, request_hash, state, created_at, expires_at)
           VALUES (?, 'h', 'in_flight', 3, 4)`,
        )
        .run(idempotencyLookup('acp key_1 /checkout_sessions', 'k1')),
    ).toThrow(/UNIQUE/);
    store.close();
  });

  it('moves the prices of placed orders to a table of their own (32), leaving carts without', () => {
    const priced = '{"lines":[],"totals":{"total":1095}}';
    const store = migratedFrom(31, (raw) => {
      raw.exec(CUSTOMER_SAM);
      const order = raw.prepare(
        `INSERT INTO orders (id, code, customer_id, state, lines, currency, priced, total, created_at, updated_at)
         VALUES (?, ?, 'cus_1', ?, '[]', 'USD', ?, ?, 1, 1)`,
      );
      order.run('ord_1', 'A1', 'paid', priced, 1095);
      order.run('ord_2', 'A2', 'cart', null, null);
    });
    const orders = createOrdersRepo({ store });
    expect(orders.get('ord_1')?.priced).toEqual(JSON.parse(priced));
    expect(orders.get('ord_2')?.priced).toBeUndefined();
    const columns = store.db.prepare("SELECT name FROM pragma_table_info('orders')").pluck().all();
    expect(columns).not.toContain('priced');
    store.close();
  });

  it("keeps every vault token when their payment ids lose the unspent ones' index entries (33)", () => {
    const store = migratedFrom(32, (raw) => {
      raw.exec(ACP_KEY);
      const token = raw.prepare(
        `INSERT INTO vault_tokens (id, api_key_id, checkout_session_id, merchant_id, max_amount, currency,
           expires_at, brand, last4, state, consumed_at, consumed_by, consumed_amount, payment_id, created_at)
         VALUES (?, 'key_1', ?, 'shop.example', 2000, 'usd', 9, 'visa', '4242', ?, ?, ?, ?, ?, 1)`,
      );
      token.run('vt_1', 'cs_1', 'consumed', 5, 'cs_1', 1500, 'pay_1');
      token.run('vt_2', 'cs_2', 'active', null, null, null, null);
    });
    const vault = createVaultRepo({ store });
    expect(vault.byId('vt_1')).toMatchObject({ state: 'consumed', paymentId: 'pay_1', consumedAmount: 1500 });
    expect(vault.byId('vt_2')).toMatchObject({ state: 'active', paymentId: undefined });
    const indexes = store.db.prepare("SELECT name FROM pragma_index_list('vault_tokens')").pluck().all();
    expect(indexes).toContain('vault_tokens_payment');
    store.close();
  });

  it("chains each order's events in the order they happened when their index goes (34)", () => {
    const store = migratedFrom(33, (raw) => {
      raw.exec(CUSTOMER_SAM);
      const order = raw.prepare(
        `INSERT INTO orders (id, code, customer_id, state, lines, currency, created_at, updated_at)
         VALUES (?, ?, 'cus_1', ?, '[]', 'USD', 1, 1)`,
      );
      order.run('ord_1', 'A1', 'ready');
      order.run('ord_2', 'A2', 'paid');
      order.run('ord_3', 'A3', 'cart');
      const event = raw.prepare(
        "INSERT INTO order_events (order_id, at, event, to_state, actor) VALUES (?, 1, ?, 'paid', 'test')",
      );
      for (const [orderId, name] of [
        ['ord_1', 'create'],
        ['ord_2', 'create'],
        ['ord_1', 'place'],
        ['ord_2', 'place'],
        ['ord_1', 'mark_ready'],
      ])
        event.run(orderId, name);
    });
    const trail = store.db
      .prepare(`${ORDER_TRAIL_SQL} SELECT event FROM order_events WHERE id IN trail ORDER BY id`)
      .pluck();
    expect(trail.all('ord_1')).toEqual(['create', 'place', 'mark_ready']);
    expect(trail.all('ord_2')).toEqual(['create', 'place']);
    expect(trail.all('ord_3')).toEqual([]);
    const indexes = store.db.prepare("SELECT name FROM pragma_index_list('order_events')").pluck().all();
    expect(indexes).toEqual([]);
    // The chain goes on from where the older build's trail ended.
    createOrdersRepo({ store }).recordEvent({
      orderId: 'ord_2',
      event: 'approve',
      from: 'awaiting_confirmation',
      to: 'paid',
      actor: 'test',
      atMs: 2,
    });
    expect(trail.all('ord_2')).toEqual(['create', 'place', 'approve']);
    store.close();
  });

  it('drops the indexes of sessions by key and tokens by session, which no query reads (35)', () => {
    const store = migratedFrom(34, (raw) => {
      raw.exec(ACP_KEY);
      raw
        .prepare(
          `INSERT INTO checkout_sessions (id, api_key_id, state, data, created_at, updated_at, expires_at)
           VALUES ('cs_1', 'key_1', 'open', '{"items":[]}', 1, 1, 9)`,
        )
        .run();
      raw
        .prepare(
          `INSERT INTO vault_tokens (id, api_key_id, checkout_session_id, merchant_id, max_amount, currency,
             expires_at, brand, last4, state, created_at)
           VALUES ('vt_1', 'key_1', 'cs_1', 'shop.example', 2000, 'usd', 9, 'visa', '4242', 'active', 1)`,
        )
        .run();
    });
    expect(createCheckoutRepo({ store }).get('cs_1')).toMatchObject({ id: 'cs_1', apiKeyId: 'key_1' });
    expect(createVaultRepo({ store }).byId('vt_1')).toMatchObject({ checkoutSessionId: 'cs_1' });
    const indexes = store.db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('checkout_sessions', 'vault_tokens')",
      )
      .pluck()
      .all();
    expect(indexes).not.toContain('checkout_sessions_key');
    expect(indexes).not.toContain('vault_tokens_session');
    expect(indexes).toEqual(expect.arrayContaining(['checkout_sessions_order', 'vault_tokens_payment']));
    store.close();
  });

  it("packs orders' prices and sessions' drafts (36), their rows and the rows naming them kept", () => {
    const priced = JSON.stringify({
      lines: [],
      totals: { total: 1095 },
      applied: [{ offerId: 'off_1', amount: 100 }],
    });
    const draft = JSON.stringify({ items: [{ ref: 'fries', itemId: 'fries', optionIds: [], quantity: 2 }] });
    const store = migratedFrom(35, (raw) => {
      raw.exec(CUSTOMER_SAM);
      raw.exec(ACP_KEY);
      raw.prepare('INSERT INTO order_prices (id, priced) VALUES (7, ?)').run(priced);
      raw
        .prepare(
          `INSERT INTO orders (id, code, customer_id, state, lines, currency, total, created_at, updated_at, priced_id)
           VALUES ('ord_1', 'A1', 'cus_1', 'paid', '[]', 'USD', 1095, 1, 1, 7)`,
        )
        .run();
      raw
        .prepare(
          `INSERT INTO checkout_sessions (id, api_key_id, state, data, order_id, created_at, updated_at, expires_at)
           VALUES ('cs_1', 'key_1', 'ordered', ?, 'ord_1', 1, 1, 9)`,
        )
        .run(draft);
      raw
        .prepare(
          `INSERT INTO affiliate_attributions (checkout_session_id, touchpoint, provider, data, order_id, recorded_at)
           VALUES ('cs_1', 'first', 'p', '{}', 'ord_1', 1)`,
        )
        .run();
    });
    expect(createOrdersRepo({ store }).get('ord_1')?.priced).toEqual(JSON.parse(priced));
    expect(createCheckoutRepo({ store }).get('cs_1')).toMatchObject({
      orderId: 'ord_1',
      draft: JSON.parse(draft),
    });
    // Read inside the packed prices, as the offers page's takings are.
    const discount = store.db
      .prepare(
        "SELECT sum(json_extract(a.value, '$.amount')) FROM order_prices p, json_each(unpacked_json('prices', p.priced), '$.applied') a",
      )
      .pluck();
    expect(discount.get()).toBe(100);
    // The rebuilt tables keep the rows that name them, and foreign keys are enforced again.
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
    expect(store.db.prepare('SELECT count(*) FROM affiliate_attributions').pluck().get()).toBe(1);
    expect(() =>
      store.db
        .prepare(
          `INSERT INTO affiliate_attributions (checkout_session_id, touchpoint, provider, data, recorded_at)
           VALUES ('cs_none', 'first', 'p', '{}', 1)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => store.db.prepare('UPDATE orders SET priced_id = 99 WHERE id = ?').run('ord_1')).toThrow(
      /FOREIGN KEY/,
    );
    store.close();
  });

  it('stores answers deflated (21), still replaying the TEXT answers an older build left', () => {
    const store = migratedFrom(20, (raw) => {
      raw
        .prepare(
          `INSERT INTO idempotency_keys (scope, key, request_hash, state, status, response, created_at, expires_at)
           VALUES ('acp key_1 /checkout_sessions', 'old', 'h', 'done', 201, '{"id":"cs_1"}', 1, 9e12)`,
        )
        .run();
    });
    const repo = createIdempotencyRepo({ store });
    expect(repo.find('acp key_1 /checkout_sessions', 'old', 'h', 2)).toEqual({
      kind: 'replay',
      status: 201,
      response: '{"id":"cs_1"}',
    });
    const answer = JSON.stringify({ id: 'cs_2', padding: 'session '.repeat(600) });
    store.transaction(() =>
      repo.save('acp key_1 /checkout_sessions', 'new', 'h', 2, { status: 201, response: answer }),
    );
    expect(repo.find('acp key_1 /checkout_sessions', 'new', 'h', 3)).toEqual({
      kind: 'replay',
      status: 201,
      response: answer,
    });
    const stored = store.db
      .prepare(
        'SELECT typeof(response) AS type, length(response) AS bytes FROM idempotency_keys WHERE lookup = ?',
      )
      .get(idempotencyLookup('acp key_1 /checkout_sessions', 'new'));
    expect(stored).toMatchObject({ type: 'blob' });
    expect((stored as { bytes: number }).bytes).toBeLessThan(answer.length / 10);
    const indexes = store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'idempotency_keys'")
      .pluck()
      .all();
    expect(indexes).toEqual(['idempotency_keys_lookup']);
    store.close();
  });

  it('counts changes of cached data by subject (17), whoever writes them, and nothing else', () => {
    const file = tempFile();
    const store = openStore({ file });
    const counts = () =>
      Object.fromEntries(
        (
          store.db.prepare('SELECT subject, changes FROM change_counts').all() as {
            subject: string;
            changes: number;
          }[]
        ).map((r) => [r.subject, r.changes]),
      );
    expect(counts()).toEqual({ catalog: 0, owner_tokens: 0, acp_keys: 0, revoked_grants: 0, offers: 0 });
    const cli = new Database(file);
    cli.exec(`INSERT INTO categories (id, name, sort) VALUES ('c1', 'Burgers', 1)`);
    cli.exec(`UPDATE categories SET name = 'Buns' WHERE id = 'c1'`);
    cli.exec(
      `INSERT INTO audit_log (at, actor_kind, action, outcome, prev_hash, hash) VALUES (1, 'system', 'x', 'ok', 'p', 'h')`,
    );
    cli.close();
    expect(counts()).toEqual({ catalog: 2, owner_tokens: 0, acp_keys: 0, revoked_grants: 0, offers: 0 });
    store.close();
  });
});
