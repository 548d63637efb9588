import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { databaseFile } from '../../src/main.js';
import { phoneBrowser } from './phone-browser.js';
import { TEST_CUSTOMER_HEADER, type TestApp } from './start-app.js';

/** The owner password the admin tests set. */
export const PASSWORD = 'correct horse battery';

/** One HTTP answer as the owner's browser saw it. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly csrf: string | undefined;
  readonly location: string | undefined;
  readonly setCookies: string[];
}

/**
 * An owner's browser over plain HTTP (node:http, so a test can send any Host, as the tunnel does): keeps
 * its cookies, follows nothing, and reads the form token of each page.
 */
/** A form's fields as `URLSearchParams` takes them. */
type FormFields = Record<string, string> | URLSearchParams | readonly (readonly [string, string])[];

export function ownerBrowser(base: string, options: { host?: string; forwardedFor?: string } = {}) {
  const jar = new Map<string, string>();
  function send(method: string, path: string, form?: FormFields, extra: Record<string, string> = {}) {
    const body =
      form === undefined
        ? undefined
        : new URLSearchParams(form as ConstructorParameters<typeof URLSearchParams>[0]).toString();
    const url = new URL(path, base);
    return new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method,
          headers: {
            ...(options.host === undefined ? {} : { host: options.host }),
            ...(options.forwardedFor === undefined ? {} : { 'x-forwarded-for': options.forwardedFor }),
            ...(jar.size === 0 ? {} : { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }),
            ...(body === undefined
              ? {}
              : {
                  'content-type': 'application/x-www-form-urlencoded',
                  'content-length': Buffer.byteLength(body),
                }),
            ...extra,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            const setCookies = res.headers['set-cookie'] ?? [];
            for (const cookie of setCookies) {
              const [pair = ''] = cookie.split(';');
              const at = pair.indexOf('=');
              const name = pair.slice(0, at);
              const value = pair.slice(at + 1);
              if (/max-age=0/i.test(cookie) || value === '') jar.delete(name);
              else jar.set(name, value);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              csrf: /name="csrf" value="([^"]+)"/.exec(text)?.[1],
              location: res.headers.location,
              setCookies,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  return {
    jar,
    get: (path: string, extra?: Record<string, string>) => send('GET', path, undefined, extra),
    /** Posts a form; pairs or a URLSearchParams repeat a field (ticked checkboxes) as a browser sends them. */
    post: (path: string, form: FormFields, extra?: Record<string, string>) => send('POST', path, form, extra),
    /** Logs in: the login page's token, then the password. */
    async login(password = PASSWORD) {
      const page = await send('GET', '/admin/login');
      return send('POST', '/admin/login', { csrf: page.csrf ?? '', password });
    },
  };
}

export type OwnerBrowser = ReturnType<typeof ownerBrowser>;

/** The onboarding form as a shop fills it in: open around the clock, so ordering works in every test. */
export function shopForm(csrf: string, extra: Record<string, string> = {}): Record<string, string> {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return {
    csrf,
    name: 'Test Burgers',
    address: '1 Test Street',
    phone: '+1 555 0100',
    currency: 'USD',
    locale: 'en-US',
    timezone: 'America/New_York',
    tax_percent: '8.875',
    tax_mode: 'exclusive',
    ...Object.fromEntries(
      days.flatMap((d) => [
        [`${d}_open`, '00:00'],
        [`${d}_close`, '24:00'],
      ]),
    ),
    ...extra,
  };
}

/** The app's database, read-only. */
export function db(t: TestApp) {
  return new Database(databaseFile(t.dataDir), { readonly: true });
}

/** Audit rows of one action, oldest first. */
export function audited(
  t: TestApp,
  action: string,
): { actor_kind: string; outcome: string; target: string | null }[] {
  const conn = db(t);
  try {
    return conn
      .prepare('SELECT actor_kind, outcome, target FROM audit_log WHERE action = ? ORDER BY seq')
      .all(action) as { actor_kind: string; outcome: string; target: string | null }[];
  } finally {
    conn.close();
  }
}

/** An order's state as stored. */
export function orderState(t: TestApp, id: string): string {
  const conn = db(t);
  try {
    return conn.prepare('SELECT state FROM orders WHERE id = ?').pluck().get(id) as string;
  } finally {
    conn.close();
  }
}

/** One line of an order: the demo shop's cheeseburger unless the test's menu has other items. */
export interface OrderLine {
  readonly item_id: string;
  readonly quantity: number;
  readonly option_ids?: readonly string[];
  readonly note?: string;
}

/**
 * Customer `name` orders over MCP (a cheeseburger by default) and places it: the order waits for their
 * confirmation. The name on the order is `customerName`, "<name> Lovelace" unless told.
 */
export async function placedOrder(
  t: Pick<TestApp, 'url'>,
  name: string,
  lines: OrderLine | readonly OrderLine[] = { item_id: 'cheeseburger', quantity: 1 },
  customerName = `${name} Lovelace`,
): Promise<{ id: string; code: string; link: string }> {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: name } },
    }),
  );
  type Result = { structuredContent?: Record<string, unknown> };
  const created = (await client.callTool({
    name: 'create_order',
    arguments: {
      idempotency_key: randomUUID(),
      lines: Array.isArray(lines) ? lines : [lines],
      customer_name: customerName,
      customer_phone: '+15555550123',
    },
  })) as Result;
  const id = String(created.structuredContent?.order_id);
  const placed = (await client.callTool({
    name: 'place_order',
    arguments: { idempotency_key: randomUUID(), order_id: id },
  })) as Result;
  await client.close();
  return {
    id,
    code: String(placed.structuredContent?.code),
    link: String(placed.structuredContent?.confirmation_url),
  };
}

/** A placed order the customer then approved (demo card) on their phone, as test/confirmation-flow.test.ts does. */
export async function paidOrder(
  t: Pick<TestApp, 'url'>,
  name: string,
  lines?: OrderLine | readonly OrderLine[],
  customerName?: string,
): Promise<{ id: string; code: string }> {
  const { id, code, link } = await placedOrder(t, name, lines, customerName);
  const phone = phoneBrowser(t.url);
  const page = await phone.open(link);
  const done = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'online' });
  expect(done.status).toBe(200);
  return { id, code };
}

/**
 * Onboards a fresh app through the four steps and returns the logged-in owner; the menu step keeps the
 * demo burger bar's menu (the tests order its cheeseburger) unless told otherwise, the printer step
 * chooses no printer unless given the printer form's fields.
 */
export async function onboard(
  t: Pick<TestApp, 'url'>,
  options: { menu?: 'demo' | 'empty'; printer?: Record<string, string> } = {},
): Promise<OwnerBrowser> {
  const owner = ownerBrowser(t.url);
  const page = await owner.get('/admin/onboarding');
  const saved = await owner.post(
    '/admin/onboarding',
    shopForm(page.csrf ?? '', { password: PASSWORD, password_again: PASSWORD }),
  );
  expect(saved.location).toBe('/admin/onboarding/menu');
  const menu = await owner.get('/admin/onboarding/menu');
  const started = await owner.post('/admin/onboarding/menu', {
    csrf: menu.csrf ?? '',
    start: options.menu ?? 'demo',
  });
  expect(started.location).toBe('/admin/onboarding/printer');
  const printer = await owner.get('/admin/onboarding/printer');
  const chosen = await owner.post('/admin/onboarding/printer', {
    csrf: printer.csrf ?? '',
    kind: 'sim',
    ...options.printer,
    paper: '80',
    action: 'next',
  });
  expect(chosen.location).toBe('/admin/onboarding/address');
  const address = await owner.get('/admin/onboarding/address');
  const done = await owner.post('/admin/onboarding/address', { csrf: address.csrf ?? '', action: 'skip' });
  expect(done.location).toBe('/admin');
  return owner;
}
