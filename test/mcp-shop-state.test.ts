import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/platform/clock.js';
import { createSettingsRepo } from '../src/store/settings-repo.js';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { onboard } from './helpers/owner-browser.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tempDir = tempDirs();

type CallResult = ToolAnswer;

async function connect(
  t: TestApp,
  customer: string,
): Promise<(name: string, args: Record<string, unknown>) => Promise<CallResult>> {
  const client = new Client({ name: 'shop-state-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: customer } },
    }),
  );
  return async (name, args) => (await client.callTool({ name, arguments: args })) as CallResult;
}

const text = (r: CallResult) => r.content.map((c) => c.text ?? '').join('\n');

describe('shop state through MCP', () => {
  it('answers "closed, opens at …" to ordering tools while menu tools keep working', async () => {
    const t = await startTestApp({ clock: createManualClock('2026-11-24T13:00:00Z') });
    try {
      const settings = createSettingsRepo({ store: t.app.store, clock: t.clock });
      const current = settings.load();
      if (current === undefined) throw new Error('not seeded');
      const ten = [{ open: '10:00', close: '22:00' }];
      settings.saveSection('hours', {
        ...current.hours,
        weekly: { mon: ten, tue: ten, wed: ten, thu: ten, fri: ten, sat: ten, sun: ten },
      });
      // Settings are cached by the running app: restart it on the same data, as the admin page will refresh it.
      await t.app.stop();
      const reopened = await startTestApp({
        clock: createManualClock('2026-11-24T13:00:00Z'),
        dataDir: t.dataDir,
      });
      try {
        const call = await connect(reopened, 'early-bird');
        const info = await call('get_shop_info', {});
        // Closed by the hours: no pickup slot to offer now, and when ordering resumes.
        expect(info.structuredContent).toMatchObject({
          open_now: false,
          todays_hours: [{ open: '10:00', close: '22:00' }],
          next_pickup_slots: [],
          ordering_resumes_at: '2026-11-24T15:00:00.000Z',
        });
        expect(text(info)).toMatch(/Closed now; ordering resumes .*10:00/);
        expect(text(info)).not.toContain('Next pickup slots');
        const search = await call('search_menu', { query: 'fries' });
        expect(search.isError).toBeFalsy();
        const create = await call('create_order', {
          idempotency_key: randomUUID(),
          lines: [{ item_id: 'fries', quantity: 1 }],
        });
        expect(create.isError).toBe(true);
        expect(text(create)).toMatch(/closed right now\. We open again .*10:00/);
        expect(text(create)).toContain('shop_closed');
      } finally {
        await reopened.stop();
      }
    } finally {
      await t.stop().catch(() => undefined);
    }
  });

  it('offers no pickup slot while the owner has paused ordering, and says no end is known', async () => {
    const t = await startTestApp();
    try {
      const owner = await onboard(t);
      const call = await connect(t, 'paused-shop');
      const open = await call('get_shop_info', {});
      expect(open.structuredContent?.next_pickup_slots).not.toEqual([]);
      const dashboard = await owner.get('/admin');
      const paused = await owner.post('/admin/settings/pause', {
        csrf: dashboard.csrf ?? '',
        paused: 'yes',
        back: 'dashboard',
      });
      expect(paused.location).toBe('/admin');
      const info = await call('get_shop_info', {});
      expect(info.structuredContent).toMatchObject({
        open_now: false,
        paused_by_owner: true,
        next_pickup_slots: [],
      });
      expect(info.structuredContent).not.toHaveProperty('ordering_resumes_at');
      expect(text(info)).toContain('has paused ordering and has not said when it resumes');
      expect(text(info)).not.toContain('Next pickup slots');
    } finally {
      await t.stop();
    }
  });

  it('finds the customer’s open order again after a restart', async () => {
    const dataDir = tempDir('counterpi-restart-');
    const first = await startTestApp({ dataDir });
    const call = await connect(first, 'returning');
    const created = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: 'cheeseburger', quantity: 2, option_ids: ['no-onions'] }],
      customer_name: 'Robin',
    });
    const orderId = created.structuredContent?.order_id;
    await first.stop();

    const second = await startTestApp({ dataDir });
    try {
      const again = await connect(second, 'returning');
      const status = await again('get_order_status', {});
      const orders = status.structuredContent?.orders as {
        order_id: string;
        status: string;
        lines: { quantity: number }[];
      }[];
      expect(orders.map((o) => [o.order_id, o.status, o.lines[0]?.quantity])).toEqual([[orderId, 'cart', 2]]);
      const stranger = await connect(second, 'someone-else');
      expect((await stranger('get_order_status', {})).structuredContent).toEqual({ orders: [] });
    } finally {
      await second.stop();
    }
  });
});
