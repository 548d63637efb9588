import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { createAuditRepo } from '../../store/audit-repo.js';
import { openStore, type Store } from '../../store/database.js';
import { canonicalJson } from '../orders/idempotency.js';
import { auditRowHash, GENESIS_HASH } from './audit-chain.js';
import { csvField } from './audit-csv.js';
import { type AuditEntry, type AuditLog, createAuditLog } from './audit-log.js';
import { MAX_SUMMARY_LENGTH, passesLuhn, REDACTED, redactText, summarizeInput } from './audit-redaction.js';

const clock = createManualClock('2026-11-24T17:00:00Z');
let store: Store;
let audit: AuditLog;

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actorKind: 'customer',
  actor: `sub_${n}`,
  client: 'client_1',
  action: 'mcp.tools/call search_menu',
  outcome: 'ok',
  latencyMs: n / 3,
  input: { query: `burger ${n}` },
  ...extra,
});

interface Raw {
  seq: number;
  prev_hash: string;
  hash: string;
  outcome: string;
}
const rows = () => store.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Raw[];
/** Tampering has to go around the append-only triggers first, as an attacker with the file would. */
function tamper(sql: string): void {
  store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  store.db.exec(sql);
}

beforeEach(() => {
  clock.set('2026-11-24T17:00:00Z');
  store = openStore({ file: ':memory:' });
  audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock });
  for (let n = 1; n <= 5; n += 1) {
    audit.record(entry(n));
    clock.advance(1000);
  }
});
afterEach(() => store.close());

describe('the chain', () => {
  it('links every row to the one before, from the genesis hash', () => {
    const all = rows();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i += 1) expect(all[i]?.prev_hash).toBe(all[i - 1]?.hash);
    expect(new Set(all.map((r) => r.hash)).size).toBe(5);
    expect(audit.verify()).toEqual({ ok: true, rows: 5, lastHash: all[4]?.hash });
  });

  it('hashes prev_hash and the row’s canonical JSON under its column names', () => {
    const row = {
      seq: 7,
      at: 1795000000123,
      actorKind: 'acp_key' as const,
      actor: 'key_1',
      client: null,
      action: 'acp.POST /checkout_sessions/{id}/complete',
      target: 'cs_"1"\n',
      outcome: 'ok',
      latencyMs: 1.234,
      inputSummary: '{"note":"🍔"}',
      inputHash: null,
      prevHash: GENESIS_HASH,
    };
    const canonical = canonicalJson({
      seq: row.seq,
      at: row.at,
      actor_kind: row.actorKind,
      actor: row.actor,
      client: row.client,
      action: row.action,
      target: row.target,
      outcome: row.outcome,
      latency_ms: row.latencyMs,
      input_summary: row.inputSummary,
      input_hash: row.inputHash,
    });
    expect(auditRowHash(row)).toBe(
      createHash('sha256').update(`${GENESIS_HASH}\n${canonical}`).digest('hex'),
    );
  });

  it('refuses UPDATE and DELETE', () => {
    expect(() => store.db.exec("UPDATE audit_log SET outcome = 'x' WHERE seq = 2")).toThrow(/append-only/);
    expect(() => store.db.exec('DELETE FROM audit_log WHERE seq = 5')).toThrow(/append-only/);
    expect(rows()).toHaveLength(5);
  });

  it('catches a changed row', () => {
    tamper("UPDATE audit_log SET outcome = 'order_not_found' WHERE seq = 3");
    expect(audit.verify()).toMatchObject({
      ok: false,
      seq: 3,
      rows: 2,
      reason: expect.stringMatching(/changed/),
    });
  });

  it('catches a changed row whose own hash was recomputed: the next row no longer links to it', () => {
    tamper("UPDATE audit_log SET outcome = 'ok', actor = 'someone_else' WHERE seq = 2");
    const changed = [...createAuditRepo({ store }).all()][1];
    if (changed === undefined) throw new Error('row 2 is missing');
    store.db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run(auditRowHash(changed));
    expect(audit.verify()).toMatchObject({ ok: false, seq: 3, reason: expect.stringMatching(/prev_hash/) });
  });

  it('catches a removed row in the middle and at the start', () => {
    tamper('DELETE FROM audit_log WHERE seq = 3');
    expect(audit.verify()).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/removed/) });
    store.db.exec('DELETE FROM audit_log WHERE seq = 1');
    expect(audit.verify()).toMatchObject({ ok: false, seq: 2, reason: expect.stringMatching(/rows 1 to 1/) });
  });

  it('catches two rows swapped', () => {
    tamper(
      'UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100;',
    );
    expect(audit.verify()).toMatchObject({ ok: false, seq: 2 });
  });

  it('keeps going after a row is appended to a verified chain', () => {
    audit.record(entry(6));
    expect(audit.verify()).toMatchObject({ ok: true, rows: 6 });
  });

  it('writes inside the caller’s transaction and rolls back with it', () => {
    expect(() =>
      store.transaction(() => {
        audit.record(entry(6, { action: 'payment.succeeded' }));
        throw new Error('the payment failed after all');
      }),
    ).toThrow();
    expect(rows()).toHaveLength(5);
    store.transaction(() => audit.record(entry(7, { action: 'confirmation.approve' })));
    expect(rows()).toHaveLength(6);
  });

  it('commits a durable row with synchronous=FULL and returns where it landed', () => {
    const stamp = audit.record(entry(6, { action: 'payment.succeeded' }), { durable: true });
    expect(stamp).toEqual({ seq: 6, hash: rows()[5]?.hash });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('batches recordSoon rows in one commit, written before any row recorded later', async () => {
    audit.recordSoon(entry(6));
    audit.recordSoon(entry(7));
    expect(rows()).toHaveLength(5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rows()).toHaveLength(7);
    audit.recordSoon(entry(8, { actor: 'queued' }));
    audit.record(entry(9, { actor: 'now' }));
    const actors = (
      store.db.prepare('SELECT actor FROM audit_log WHERE seq > 7').all() as { actor: string }[]
    ).map((r) => r.actor);
    expect(actors).toEqual(['queued', 'now']);
    audit.flush();
    expect(audit.verify()).toMatchObject({ ok: true, rows: 9 });
  });

  it('writes a long queue at once, so memory stays bounded under load', () => {
    for (let n = 0; n < 512; n += 1) audit.recordSoon(entry(n));
    expect(rows()).toHaveLength(517);
    expect(audit.verify()).toMatchObject({ ok: true, rows: 517 });
  });

  it('never forks when two connections append in turn (the server and the CLI)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpi-audit-'));
    try {
      const a = openStore({ file: join(dir, 'db') });
      const b = openStore({ file: join(dir, 'db') });
      const logA = createAuditLog({ store: a, repo: createAuditRepo({ store: a }), clock });
      const logB = createAuditLog({ store: b, repo: createAuditRepo({ store: b }), clock });
      for (let n = 0; n < 20; n += 1) (n % 3 === 0 ? logB : logA).record(entry(n));
      expect(logA.verify()).toMatchObject({ ok: true, rows: 20 });
      a.close();
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cleans the fields it stores: controls out, long text clipped, secrets out of the target', () => {
    audit.record(
      entry(6, {
        action: `mcp.tools/call ${'x'.repeat(500)}`,
        target: 'cpk_abcdefghijklmnop',
        outcome: 'ok\r\nforged',
      }),
    );
    const last = store.db
      .prepare('SELECT action, target, outcome FROM audit_log WHERE seq = 6')
      .get() as Record<string, string>;
    expect(last.action).toHaveLength(128);
    expect(last.target).toBe(`cpk_${REDACTED}`);
    expect(last.outcome).toBe('ok  forged');
    expect(audit.verify().ok).toBe(true);
  });
});

describe('redaction', () => {
  const summary = (input: unknown) => summarizeInput(input)?.summary ?? '';

  it('masks card numbers that pass Luhn, in text and as numbers, keeping the last four digits', () => {
    expect(passesLuhn('4242424242424242')).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
    expect(redactText('card 4242 4242 4242 4242 please')).toBe('card [card …4242] please');
    expect(redactText('5555-5555-5555-4444')).toBe('[card …4444]');
    expect(redactText('378282246310005')).toBe('[card …0005]');
    expect(summary({ note: 4111111111111111 })).toBe('{"note":"[card …1111]"}');
    // A card field is masked even when the number fails Luhn.
    expect(summary({ payment_method: { number: '4242424242424241', cvc: '123' } })).toBe(
      `{"payment_method":{"cvc":"${REDACTED}","number":"[card …4241]"}}`,
    );
  });

  it('drops CVCs, bearer tokens, JWTs, API keys, vault token ids and idempotency keys', () => {
    const text = summary({
      cvc: '737',
      cvv: 123,
      idempotency_key: '9d2e4f1a-0b7c-4c1e-8d3a-1f2e3d4c5b6a',
      meta: { idempotency_key: 'k-1' },
      header: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      jwt: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      note: 'my key is cpk_Q2hlZXNlYnVyZ2VyLXdpdGgtYmFjb24 and token vt_3kq7x2m9c4v8b1n5',
      payment_data: { handler_id: 'card', token: 'vt_3kq7x2m9c4v8b1n5' },
    });
    for (const secret of ['737', '123', '9d2e4f1a', 'k-1', 'eyJ', 'c2lnbmF0dXJl', 'Q2hlZXNl', '3kq7x2m9']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(`Bearer ${REDACTED}`);
    expect(text).toContain(`cpk_${REDACTED}`);
    expect(text).toContain(`vt_${REDACTED}`);
  });

  it('keeps only the last four digits of phone numbers', () => {
    expect(summary({ customer_phone: '+1 (555) 123-4567' })).toBe('{"customer_phone":"+* (***) ***-4567"}');
    expect(summary({ buyer: { phone_number: '+15551234567' } })).toBe(
      '{"buyer":{"phone_number":"+*******4567"}}',
    );
    expect(redactText('call me on 0612345678 when ready')).toBe('call me on ******5678 when ready');
  });

  it('leaves ids, dates, times, quantities and prices alone', () => {
    const input = {
      order_id: 'ord_3kq7x2m9c4v8b1n5',
      pickup_time: '2026-11-24T12:30',
      day: '2026-11-24 12:30',
      lines: [{ item_id: 'cheeseburger', quantity: 2, option_ids: ['patty-double'] }],
      max_price: 1840,
      note: 'no onions, 2 napkins',
    };
    expect(summary(input)).toBe(canonicalJson(input));
  });

  it('hashes the redacted canonical input: key order and idempotency keys do not change it', () => {
    const a = summarizeInput({ idempotency_key: 'a', order_id: 'ord_1' });
    const b = summarizeInput({ order_id: 'ord_1', idempotency_key: 'b' });
    expect(a?.hash).toBe(b?.hash);
    expect(a?.hash).toBe(
      createHash('sha256').update(`{"idempotency_key":"${REDACTED}","order_id":"ord_1"}`).digest('hex'),
    );
    expect(summarizeInput(undefined)).toBeUndefined();
  });

  it('clips long summaries without splitting a character', () => {
    const long = summary({ note: '🍔'.repeat(300) });
    expect(long.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('CSV export', () => {
  function sink(): { out: Writable; text: () => string } {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { out, text: () => chunks.join('') };
  }

  it('quotes fields per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    for (const start of ['+', '-', '@', '\t']) expect(csvField(`${start}1`)).toBe(`'${start}1`);
    expect(csvField(null)).toBe('');
    expect(csvField(-1.5)).toBe('-1.5');
  });

  it('writes every row with its hashes, and reads back field for field', async () => {
    audit.record(entry(6, { actor: '=cmd|calc', input: { note: 'a, "b"\nc' }, outcome: 'item_sold_out' }));
    const { out, text } = sink();
    expect(await audit.export(out)).toBe(6);
    const records = parse(text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(6);
    const stored = rows();
    expect(records.map((r) => r.hash)).toEqual(stored.map((r) => r.hash));
    expect(records[5]).toMatchObject({
      seq: '6',
      at: '2026-11-24T17:00:05.000Z',
      actor: "'=cmd|calc",
      outcome: 'item_sold_out',
      input_summary: '{"note":"a, \\"b\\"\\nc"}',
    });
    expect(text().split('\r\n')[0]).toBe(
      'seq,at,actor_kind,actor,client,action,target,outcome,latency_ms,input_summary,input_hash,prev_hash,hash',
    );
  });

  it('filters by time and action prefix', async () => {
    audit.record(entry(6, { actorKind: 'owner', action: 'owner.acp-key.create' }));
    const since = Date.parse('2026-11-24T17:00:01Z');
    const until = Date.parse('2026-11-24T17:00:03Z');
    const window = sink();
    expect(await audit.export(window.out, { sinceMs: since, untilMs: until })).toBe(2);
    const owner = sink();
    expect(await audit.export(owner.out, { actionPrefix: 'owner.' })).toBe(1);
    expect(owner.text()).toContain('owner.acp-key.create');
  });
});

describe("the owner's page of rows", () => {
  it('pages newest first with the same filters as the export', () => {
    audit.record(entry(6, { actorKind: 'owner', action: 'owner.menu.import' }));
    expect(audit.recent({}, { limit: 4 }).map((r) => r.seq)).toEqual([6, 5, 4, 3]);
    expect(audit.recent({}, { beforeSeq: 3, limit: 4 }).map((r) => r.seq)).toEqual([2, 1]);
    expect(audit.recent({ actionPrefix: 'owner.' }, { limit: 10 }).map((r) => r.action)).toEqual([
      'owner.menu.import',
    ]);
    const window = {
      sinceMs: Date.parse('2026-11-24T17:00:01Z'),
      untilMs: Date.parse('2026-11-24T17:00:03Z'),
    };
    expect(audit.recent(window, { limit: 10 }).map((r) => r.seq)).toEqual([3, 2]);
  });
});
