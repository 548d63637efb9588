import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedCardRequest } from '../src/bench/checkout-flow.js';
import { databaseFile } from '../src/main.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

/** WAL frames: a 32-byte header, then 24-byte frame headers each before a page (sqlite.org/fileformat2.html §4.1). */
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** Counts the commits (frames whose "database size after commit" field is set) in the WAL from `offset`. */
function commitsSince(wal: string, offset: number, pageSize: number): number {
  const bytes = readFileSync(wal);
  let commits = 0;
  for (let at = Math.max(offset, WAL_HEADER); at + FRAME_HEADER + pageSize <= bytes.length; ) {
    if (bytes.readUInt32BE(at + 4) !== 0) commits += 1;
    at += FRAME_HEADER + pageSize;
  }
  return commits;
}

let t: TestApp;
let secret: string;

beforeAll(async () => {
  t = await startTestApp();
  secret = createTestAcpKey(t.dataDir).secret;
});

afterAll(async () => {
  await t.stop();
});

describe('ACP calls and the SD card', () => {
  it('commits a POST, its idempotency record and its audit row in one commit', async () => {
    const wal = `${databaseFile(t.dataDir)}-wal`;
    const pageSize = t.app.store.db.pragma('page_size', { simple: true }) as number;
    const acp = acpClient(t.url, secret);
    const commitsOf = async (call: () => Promise<{ status: number }>, status: number) => {
      const offset = statSync(wal).size;
      expect((await call()).status).toBe(status);
      return commitsSince(wal, offset, pageSize);
    };
    let id = '';
    const created = await commitsOf(async () => {
      const answer = await acp.post('/checkout_sessions', {
        line_items: [{ id: 'cheeseburger' }],
        currency: 'usd',
        capabilities: {},
      });
      id = String(answer.body.id);
      return answer;
    }, 201);
    const updated = await commitsOf(
      () =>
        acp.post(`/checkout_sessions/${id}`, {
          selected_fulfillment_options: [{ type: 'pickup', option_id: 'pickup_asap', item_ids: ['li_1'] }],
        }),
      200,
    );
    const delegated = await commitsOf(
      () =>
        acp.post(
          '/agentic_commerce/delegate_payment',
          delegatedCardRequest({
            sessionId: id,
            merchant: 'burgers.example.com',
            maxAmount: 5000,
            expiresAt: '2026-11-24T18:00:00Z',
          }),
        ),
      201,
    );
    expect([created, updated, delegated]).toEqual([1, 1, 1]);
    const rows = t.app.store.db
      .prepare("SELECT action, outcome FROM audit_log WHERE action LIKE 'acp.%' ORDER BY seq")
      .all();
    expect(rows).toEqual([
      { action: 'acp.POST /checkout_sessions', outcome: 'ok' },
      { action: 'acp.POST /checkout_sessions/{id}', outcome: 'ok' },
      { action: 'acp.POST /agentic_commerce/delegate_payment', outcome: 'ok' },
    ]);
  });
});
