import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as oc from 'openid-client';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAPID_KEYS_FILE } from '../src/auth/key-files.js';
import { mcpToolCall } from './helpers/mcp-post.js';
import { db, type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { browserSubscription, decryptPush, startPushService, verifyVapid } from './helpers/push-service.js';
import { CHROMIUM, HAS_CHROMIUM, submit } from './helpers/real-browser.js';
import { startSmtpReceiver } from './helpers/smtp-receiver.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const REDIRECT = 'http://127.0.0.1:53682/callback';
const SMTP_LOGIN = { user: 'orders@burgers.example.com', pass: 'smtp secret 7' };
const PHONE = { width: 390, height: 844 };

/** A free loopback port, so the app can be started with a PUBLIC_URL the browser reaches as it is. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

type ToolResult = { result: { isError?: boolean; structuredContent?: Record<string, unknown> } };

describe.skipIf(!HAS_CHROMIUM)(
  `a customer waiting for their order in a real browser (skipped when ${CHROMIUM} is missing)`,
  () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let owner: OwnerBrowser;
    let push: Awaited<ReturnType<typeof startPushService>>;
    let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
    let token: string;
    let order: { id: string; code: string; link: string };

    beforeAll(async () => {
      push = await startPushService();
      smtp = await startSmtpReceiver(SMTP_LOGIN);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      // The public address is the loopback one: the browser signs in, approves and follows the order
      // there as it would through the tunnel, and loopback is a secure context for service workers.
      t = await startTestApp({
        bearerTokens: true,
        env: { PORT: String(port), PUBLIC_URL: base, WEBHOOK_PRIVATE_RECEIVERS: '127.0.0.1/32' },
      });
      owner = await onboard(t);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      await context.grantPermissions(['notifications'], { origin: base });
      page = await context.newPage();
    });
    afterAll(async () => {
      await browser?.close();
      await t?.stop();
      await push?.close();
      await smtp?.close();
    });

    /** The signed-in customer orders a cheeseburger and approves it on the phone: the order's id. */
    async function placedAndApproved(key: string): Promise<string> {
      const call = async (name: string, args: Record<string, unknown>) => {
        const res = await mcpToolCall(base, token, name, args);
        const body = (await res.json()) as ToolResult;
        expect(body.result.isError, JSON.stringify(body)).not.toBe(true);
        return body.result.structuredContent ?? {};
      };
      const created = await call('create_order', {
        idempotency_key: `${key}-create`,
        lines: [{ item_id: 'cheeseburger', quantity: 1 }],
      });
      const id = String(created.order_id);
      const placed = await call('place_order', { idempotency_key: `${key}-place`, order_id: id });
      const approving = await context.newPage();
      try {
        await approving.goto(String(placed.confirmation_url));
        await submit(approving, 'button:has-text("Confirm and pay")');
        expect(await approving.textContent('h1')).toBe('Thank you!');
      } finally {
        await approving.close();
      }
      return id;
    }

    /** The page is as wide as the phone: nothing scrolls sideways. */
    async function fitsThePhone(name: string) {
      await page.screenshot({ path: join(t.dataDir, `${name}.png`), fullPage: true });
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      expect(width, name).toBeLessThanOrEqual(PHONE.width);
    }

    it('signs in with the number as dialled at home, on pages that name the shop', async () => {
      const config = await oc.dynamicClientRegistration(
        new URL(base),
        { client_name: 'Test Assistant', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
        oc.None(),
        { execute: [oc.allowInsecureRequests], algorithm: 'oauth2' },
      );
      const verifier = oc.randomPKCECodeVerifier();
      const state = oc.randomState();
      const url = oc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'menu:read order:write',
        resource: `${base}/mcp`,
        code_challenge: await oc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      await page.goto(url.href);
      expect(await page.textContent('h1')).toBe('Sign in to order from Test Burgers');
      await fitsThePhone('sign-in');
      await page.fill('#name', 'Ada Lovelace');
      await page.fill('#phone', '(217) 555-014');
      await submit(page, 'button:has-text("Continue")');
      expect(await page.textContent('[role=alert]')).toContain(
        'too few or too many digits for United States',
      );
      expect(await page.inputValue('#phone')).toBe('(217) 555-014');
      await page.fill('#phone', '(217) 555-0142');
      await submit(page, 'button:has-text("Continue")');
      expect(await page.textContent('body')).toContain('It orders from Test Burgers in your name.');
      await fitsThePhone('consent');
      // The browser is sent back to the assistant's redirect URI with the code. Nothing listens there, so
      // the test answers it: a failed load would end in Chromium's error page later, cutting off the next
      // test's navigation.
      await page.route(`${REDIRECT}**`, (route) =>
        route.fulfill({ status: 200, body: 'Back at the assistant.' }),
      );
      const [back] = await Promise.all([
        page.waitForRequest((r) => r.url().startsWith(REDIRECT)),
        page.click('button:has-text("Allow")'),
      ]);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      await page.unroute(`${REDIRECT}**`);
      const tokens = await oc.authorizationCodeGrant(
        config,
        new URL(back.url()),
        { pkceCodeVerifier: verifier, expectedState: state },
        { resource: `${base}/mcp` },
      );
      token = tokens.access_token;
      const conn = db(t);
      try {
        expect(conn.prepare('SELECT phone FROM customers WHERE name = ?').pluck().get('Ada Lovelace')).toBe(
          '+12175550142',
        );
      } finally {
        conn.close();
      }
    });

    it('approves on the phone, and the page after it offers the ready notification', async () => {
      const res = await mcpToolCall(base, token, 'create_order', {
        idempotency_key: 'wait-create-1',
        lines: [{ item_id: 'cheeseburger', quantity: 1 }],
      });
      const id = String(((await res.json()) as ToolResult).result.structuredContent?.order_id);
      const placed = await mcpToolCall(base, token, 'place_order', {
        idempotency_key: 'wait-place-1',
        order_id: id,
      });
      const result = ((await placed.json()) as ToolResult).result.structuredContent ?? {};
      order = { id, code: String(result.code), link: String(result.confirmation_url) };
      await page.goto(order.link);
      await submit(page, 'button:has-text("Confirm and pay")');
      expect(await page.textContent('h1')).toBe('Thank you!');
      // Chromium has Web Push: the button shows, and a tap registers the worker for this order's page only.
      await page.waitForSelector('#push-on:visible');
      await fitsThePhone('approved');
      await page.click('#push-on');
      const scope = () =>
        page.evaluate(
          `navigator.serviceWorker.getRegistration('/o/${order.id}').then((r) => r?.scope ?? null)`,
        );
      await expect.poll(scope, { timeout: 10_000 }).toBe(`${base}/o/${order.id}`);
    });

    it('keeps the order page open and sees "ready" arrive without a reload; push and email follow', async () => {
      await Promise.all([
        page.waitForURL(`${base}/o/${order.id}`),
        page.click('a:has-text("Follow your order live")'),
      ]);
      // The ticket prints at once (simulated printer): the order is in the kitchen.
      await page.waitForSelector('.timeline li[aria-current=step]:has-text("In the kitchen")');
      expect(await page.textContent('#order-live .status')).toBe('Being prepared');
      expect(await page.locator('.timeline li.done').allTextContents()).toEqual([
        'Confirmed',
        'In the kitchen',
      ]);
      expect(await page.textContent('#order-live')).toContain('Kitchen’s estimate: ready around');
      expect(await page.innerHTML('head')).toContain('<noscript><meta http-equiv="refresh" content="30">');

      // Headless Chromium has no push service to subscribe with: the test subscribes as a browser does
      // (a P-256 key pair and an auth secret) with an endpoint at its own push service, through the page.
      const phone = browserSubscription(`${push.origin}/push/subscription-7f3a`);
      const status = await page.evaluate(
        `fetch('/o/${order.id}/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(phone.toJSON()))} }).then((r) => r.status)`,
      );
      expect(status).toBe(201);

      await owner.post('/admin/settings/email', {
        csrf: (await owner.get('/admin/settings')).csrf ?? '',
        enabled: 'on',
        host: '127.0.0.1',
        port: String(smtp.port),
        security: 'none',
        user: SMTP_LOGIN.user,
        password: SMTP_LOGIN.pass,
        from: 'Test Burgers <orders@burgers.example.com>',
      });
      await page.reload();
      await page.fill('#email', 'ada@example.com');
      await submit(page, 'button:has-text("Email me when it’s ready")');
      const receipt = await smtp.next();
      expect(receipt.user).toBe(SMTP_LOGIN.user);
      expect(receipt.to).toEqual(['ada@example.com']);
      expect(receipt.raw).toContain(`Subject: Your order ${order.code} at Test Burgers`);
      expect(receipt.text).toContain('1 × Cheeseburger');
      expect(receipt.text).toContain(`Follow it live: ${base}/o/${order.id}`);
      expect(await page.textContent('#follow')).toContain('A receipt is on its way');
      await page.waitForSelector('#push-on:visible');
      await fitsThePhone('order-page');

      await page.evaluate('window.stayedOpen = true');
      const board = await owner.get('/admin');
      const marked = await owner.post(`/admin/orders/${order.id}/ready`, { csrf: board.csrf ?? '' });
      expect(marked.status).toBe(303);
      await page.waitForSelector('#order-live .status:has-text("Ready for pickup")', { timeout: 5000 });
      expect(await page.evaluate('window.stayedOpen')).toBe(true);
      expect(await page.textContent('.timeline li[aria-current=step]')).toBe('Ready');
      await fitsThePhone('order-ready');

      const pushed = await push.next();
      expect(pushed.path).toBe('/push/subscription-7f3a');
      expect(pushed.headers['content-encoding']).toBe('aes128gcm');
      expect(Number(pushed.headers.ttl)).toBe(30 * 60);
      const vapid = JSON.parse(readFileSync(join(t.dataDir, VAPID_KEYS_FILE), 'utf8')) as {
        publicKey: string;
      };
      const jwt = await verifyVapid(String(pushed.headers.authorization), vapid.publicKey, push.origin);
      expect(jwt.header.alg).toBe('ES256');
      expect(JSON.parse(decryptPush(pushed.body, phone))).toEqual({
        title: `Order ${order.code} is ready`,
        body: `Pick it up at Test Burgers: show the code ${order.code} at the counter.`,
        url: `${base}/o/${order.id}`,
      });
      const ready = await smtp.next();
      expect(ready.raw).toContain(`Subject: Order ${order.code} is ready (Test Burgers)`);
      expect(ready.text).toContain(`Pick it up at Test Burgers: show the code ${order.code} at the counter.`);
    });

    it('tells browsers without Web Push to keep the page open instead', async () => {
      const cases = [
        {
          // Instagram's in-app browser on Android: a WebView, whatever it claims to support.
          userAgent:
            'Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0 Mobile Safari/537.36 Instagram 330.0',
          init: '',
          says: 'This browser cannot notify you. Keep this page open: it updates by itself.',
        },
        {
          // Safari on an iPhone, not opened from the Home Screen: no PushManager at all.
          userAgent:
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
          init: 'delete window.PushManager;',
          says: 'On an iPhone a notification needs this page on your Home Screen',
        },
      ];
      for (const c of cases) {
        const other = await browser.newContext({ viewport: PHONE, userAgent: c.userAgent });
        try {
          if (c.init !== '') await other.addInitScript(c.init);
          const phone = await other.newPage();
          const waiting = await placedAndApproved(`wait-${cases.indexOf(c)}`);
          await phone.goto(`${base}/o/${waiting}`);
          await phone.waitForSelector(`#push-note:has-text("${c.says}")`);
          expect(await phone.isVisible('#push-on')).toBe(false);
        } finally {
          await other.close();
        }
      }
    });

    it('forgets the phone and the address once the order is collected', async () => {
      const board = await owner.get('/admin');
      await owner.post(`/admin/orders/${order.id}/collected`, { csrf: board.csrf ?? '' });
      await page.waitForSelector('#order-live .status:has-text("Collected")');
      const conn = db(t);
      try {
        const count = (table: string) =>
          conn.prepare(`SELECT count(*) FROM ${table} WHERE order_id = ?`).pluck().get(order.id);
        expect(count('push_subscriptions')).toBe(0);
        expect(count('order_emails')).toBe(0);
      } finally {
        conn.close();
      }
      // Finished: the page no longer refreshes itself nor offers a notification.
      const finished = await (await fetch(`${base}/o/${order.id}`)).text();
      expect(finished).not.toContain('http-equiv="refresh"');
      expect(finished).not.toContain('id="follow"');
    });
  },
);
