import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { createAuditRepo } from '../../store/audit-repo.js';
import { openStore, type Store } from '../../store/database.js';
import type { AuditEntry } from './audit-append.js';
import { AuditInput } from './audit-input.js';
import { type AuditLog, createAuditLog } from './audit-log.js';
import { CYCLE, MAX_REDACTED_DEPTH, redactValue, summarizeInput, TOO_DEEP } from './audit-redaction.js';
import { type AuditWriter, startAuditWriter } from './audit-writer.js';

// One entry whose input cannot be summarised must cost its own summary at most: never its row, never
// the rows written in the same batch, never the chain.

const clock = createManualClock('2026-11-24T17:00:00Z');

/** `{ a: { a: … 0 } }`, `depth` levels, built in process (JSON.stringify overflows on it). */
function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let n = 0; n < depth; n += 1) value = { a: value };
  return value;
}
const cyclic = (): unknown => {
  const value: Record<string, unknown> = { query: 'burger' };
  value.self = value;
  return value;
};
const throwing = (): unknown => ({
  get query(): string {
    throw new Error('no query here');
  },
});

/** Inputs that once threw while a row was prepared, by name. */
const POISONS: Record<string, () => unknown> = {
  deep: () => ({ query: 'burger', extra: nested(10_000) }),
  cyclic,
  bigint: () => ({ quantity: 10n }),
  throwing,
};

const read = (actor: string, input: unknown = { query: 'fries' }): AuditEntry => ({
  actorKind: 'customer',
  actor,
  action: 'mcp.tools/call search_menu',
  outcome: 'ok',
  input,
});

interface Row {
  actor: string;
  input_summary: string | null;
  input_hash: string | null;
}

describe.each(['in place', 'on the writer thread'])('a batch with poisoned entries, written %s', (where) => {
  let dir: string;
  let store: Store;
  let writer: AuditWriter | undefined;
  let audit: AuditLog;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'counterpi-audit-poison-'));
    store = openStore({ file: join(dir, 'counterpi.db') });
    writer = where === 'in place' ? undefined : startAuditWriter({ store });
    const repo = createAuditRepo({ store });
    audit = createAuditLog({ store, repo, clock, batchMs: 5, ...(writer === undefined ? {} : { writer }) });
  });
  afterEach(async () => {
    await writer?.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const rows = () =>
    store.db.prepare('SELECT actor, input_summary, input_hash FROM audit_log ORDER BY seq').all() as Row[];

  it('writes every neighbour, and each poisoned entry as a row saying what it could keep', () => {
    const actors: string[] = [];
    for (const [name, poison] of Object.entries(POISONS)) {
      audit.recordSoon(read(`before ${name}`));
      audit.recordSoon(read(name, poison()));
      audit.recordSoon(read(`after ${name}`));
      actors.push(`before ${name}`, name, `after ${name}`);
    }
    audit.flush();
    const written = rows();
    expect(written.map((r) => r.actor)).toEqual(actors);
    const byActor = new Map(written.map((r) => [r.actor, r]));
    expect(byActor.get('deep')?.input_summary).toContain(TOO_DEEP);
    expect(byActor.get('cyclic')?.input_summary).toBe(`{"query":"burger","self":"${CYCLE}"}`);
    expect(byActor.get('bigint')).toMatchObject({
      input_summary: '[could not be summarised: TypeError: Do not know how to serialize a BigInt]',
      input_hash: null,
    });
    expect(byActor.get('throwing')).toMatchObject({
      input_summary: '[could not be summarised: Error: no query here]',
      input_hash: null,
    });
    expect(byActor.get('after deep')?.input_summary).toBe('{"query":"fries"}');
    expect(audit.verify()).toMatchObject({ ok: true, rows: actors.length });
  });

  it('keeps a write recorded while a poisoned read waits in the queue, and the read', () => {
    audit.recordSoon(read('mallory', POISONS.deep?.()));
    audit.record({
      actorKind: 'customer',
      actor: 'bob',
      action: 'mcp.tools/call place_order',
      outcome: 'ok',
    });
    audit.record({
      actorKind: 'customer',
      actor: 'bob',
      action: 'mcp.tools/call place_order',
      outcome: 'ok',
    });
    audit.flush();
    expect(rows().map((r) => r.actor)).toEqual(['mallory', 'bob', 'bob']);
    expect(audit.verify()).toMatchObject({ ok: true, rows: 3 });
  });
});

describe('an input prepared before the call it records runs', () => {
  it('refuses the call when the input cannot be recorded whole, saying why', () => {
    for (const [name, poison] of Object.entries(POISONS)) {
      const prepared = AuditInput.of(poison());
      expect(prepared?.refusal, name).toBeDefined();
      expect(prepared?.refusalError()).toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining("could not be recorded in the shop's audit log"),
      });
    }
    expect(AuditInput.of(nested(MAX_REDACTED_DEPTH + 1))?.refusal).toBe(
      `it is nested deeper than ${MAX_REDACTED_DEPTH} levels`,
    );
  });

  it('lets a plain input through, summarised once, and writes that summary as it is', () => {
    const input = { query: 'burger', idempotency_key: 'k1', deep: nested(MAX_REDACTED_DEPTH - 2) };
    const prepared = AuditInput.of(input);
    expect(prepared?.refusal).toBeUndefined();
    expect(prepared?.refusalError()).toBeUndefined();
    expect(prepared).toMatchObject({
      summary: summarizeInput(input)?.summary,
      hash: summarizeInput(input)?.hash,
    });
    expect(prepared?.summary).toContain('"idempotency_key":"[redacted]"');
    expect(prepared?.summary).not.toContain(TOO_DEEP);
    expect(AuditInput.of(undefined)).toBeUndefined();

    const store = openStore({ file: ':memory:' });
    try {
      const audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock });
      audit.record({ ...read('ada'), input: prepared });
      const row = store.db.prepare('SELECT input_summary, input_hash FROM audit_log').get();
      expect(row).toEqual({ input_summary: prepared?.summary, input_hash: prepared?.hash });
    } finally {
      store.close();
    }
  });
});

describe('redaction', () => {
  it('stops at its depth with a marker, whatever the depth, and never overflows', () => {
    const { value, cut } = redactValue(nested(100_000));
    let depth = 0;
    let at: unknown = value;
    while (typeof at === 'object' && at !== null) {
      at = (at as { a: unknown }).a;
      depth += 1;
    }
    expect(depth).toBe(MAX_REDACTED_DEPTH);
    expect(at).toBe(TOO_DEEP);
    expect(cut).toBe(`it is nested deeper than ${MAX_REDACTED_DEPTH} levels`);
  });

  it('marks an object inside itself, but not one object met twice side by side', () => {
    const shared = { phone: '+1 555 123 4567' };
    expect(redactValue({ a: shared, b: [shared] })).toEqual({
      value: { a: { phone: '+* *** *** 4567' }, b: [{ phone: '+* *** *** 4567' }] },
      cut: undefined,
    });
    const list: unknown[] = [1];
    list.push(list);
    expect(redactValue(list)).toEqual({ value: [1, CYCLE], cut: 'it contains itself' });
  });
});
