import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimGpio, type SimGpio } from '../src/devices/gpio-sim.js';
import { createManualClock } from '../src/platform/clock.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { demoSettings } from '../src/services/shop/demo-shop.js';
import { createSettingsRepo } from '../src/store/settings-repo.js';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

type CallResult = ToolAnswer;

const { ledPin: LED, buzzerPin: BUZZER, bumpButtonPin: BUMP, openSwitchPin: SWITCH } = demoSettings().gpio;
const text = (r: CallResult) => r.content.map((c) => c.text ?? '').join('\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` answers true (the GPIO parts run on real timers here). */
async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let t: TestApp;
let sim: SimGpio;
let call: (name: string, args: Record<string, unknown>) => Promise<CallResult>;
let client: Client;
/** The order the second test creates and the third one pays and bumps. */
let cart = '';

beforeAll(async () => {
  // 08:00 in New York on a Tuesday, with hours 10:00–22:00: closed by the hours until 10:00.
  const seeded = await startTestApp({ clock: createManualClock('2026-11-24T13:00:00Z') });
  const settings = createSettingsRepo({ store: seeded.app.store, clock: seeded.clock });
  const ten = [{ open: '10:00', close: '22:00' }];
  settings.saveSection('hours', {
    ...demoSettings().hours,
    weekly: { mon: ten, tue: ten, wed: ten, thu: ten, fri: ten, sat: ten, sun: ten },
  });
  await seeded.app.stop();
  sim = createSimGpio({ log: createSilentLogger() });
  t = await startTestApp({
    clock: createManualClock('2026-11-24T13:00:00Z'),
    dataDir: seeded.dataDir,
    env: { GPIO: 'sim' },
    gpio: sim,
  });
  client = new Client({ name: 'kitchen-switch-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: 'hungry' } },
    }),
  );
  call = async (name, args) => (await client.callTool({ name, arguments: args })) as CallResult;
});
afterAll(async () => {
  await client?.close();
  await t?.stop();
  // Started on the seeded data dir, so the helper leaves it: remove it here.
  if (t !== undefined) rmSync(t.dataDir, { recursive: true, force: true });
});

const createOrder = () =>
  call('create_order', {
    idempotency_key: randomUUID(),
    lines: [{ item_id: 'cheeseburger', quantity: 1 }],
    customer_name: 'Grace Hopper',
    customer_phone: '+15555550123',
  });
const paused = async () => (await call('get_shop_info', {})).structuredContent?.paused_by_owner === true;
const led = () => sim.snapshot().outputs.find((o) => o.bcm === LED);
const buzzer = () => sim.snapshot().outputs.find((o) => o.bcm === BUZZER);
const gpioReadiness = async () => {
  const ready = (await (await fetch(`${t.url}/ready`)).json()) as {
    components: { name: string; ok: boolean; detail: string }[];
  };
  return ready.components.find((c) => c.name === 'gpio');
};

describe('the kitchen’s switch and bump button, end to end through MCP', () => {
  it('closes ordering with the switch: assistants hear "closed" and when the shop opens', async () => {
    sim.drive(SWITCH, 0);
    await until('the switch to pause ordering', paused);
    const early = await createOrder();
    expect(early.isError).toBe(true);
    expect(text(early)).toContain('shop_closed');
    expect(text(early)).toMatch(/not taking orders right now\. We open again .*10:00/);

    // Noon: inside the hours, but the switch still says closed.
    t.clock.set('2026-11-24T17:00:00Z');
    const noon = await createOrder();
    expect(noon.isError).toBe(true);
    expect(text(noon)).toContain('not taking orders right now');
    expect(await gpioReadiness()).toMatchObject({
      ok: true,
      detail: expect.stringContaining('switch closed'),
    });
  });

  it('takes orders again once the switch is open', async () => {
    sim.drive(SWITCH, 1);
    await until('the switch to resume ordering', async () => !(await paused()));
    const created = await createOrder();
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent?.status).toBe('cart');
    cart = String(created.structuredContent?.order_id);
  });

  it('blinks and beeps for a paid order, and a short bump press makes it ready', async () => {
    const placed = await call('place_order', { idempotency_key: randomUUID(), order_id: cart });
    expect(placed.isError).toBeFalsy();
    expect(led()?.changes ?? 0).toBe(0);
    const link = String(placed.structuredContent?.confirmation_url);
    const phone = phoneBrowser(t.url);
    const page = await phone.open(link);
    const done = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'online' });
    expect(done.status).toBe(200);

    await until('the LED to blink', () => (led()?.changes ?? 0) >= 3);
    await until('the buzzer to finish its pattern', () => buzzer()?.changes === 4);
    expect(buzzer()?.on).toBe(false);
    expect(await gpioReadiness()).toMatchObject({
      ok: true,
      detail: expect.stringContaining('LED blinking'),
    });

    const status = async () => {
      const answer = await call('get_order_status', { order_id: cart });
      const orders = (answer.structuredContent?.orders ?? []) as { status: string }[];
      return orders[0]?.status;
    };
    // The simulated printer prints the ticket; the cook reads it, then bumps.
    await until('the ticket to print', async () => (await status()) === 'in_kitchen');
    sim.drive(BUMP, 0);
    await sleep(150);
    sim.drive(BUMP, 1);
    await until('the order to be ready', async () => (await status()) === 'ready');
    expect(led()?.on).toBe(false);
    expect(await gpioReadiness()).toMatchObject({ detail: expect.stringContaining('LED off') });
  });
});
