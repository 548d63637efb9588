import { request } from 'node:http';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERACTION_LIMITS } from '../src/auth/interaction-routes.js';
import { clientAddress, createRateLimiter, type RateLimit } from '../src/http/rate-limit.js';
import type { CounterpiDeps } from '../src/main.js';
import { type Clock, createManualClock } from '../src/platform/clock.js';
import { authorizationRequest, createBrowser, tunnelTo, viaAddress } from './helpers/oauth-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const REDIRECT = 'http://127.0.0.1:53682/callback';
const { perAddress, perPhone } = INTERACTION_LIMITS;

describe('sign-in and consent attempt limits', () => {
  const clock = createManualClock('2026-11-24T17:00:00Z');
  let t: TestApp;
  let tunnel: typeof fetch;
  let client: oc.Configuration;

  beforeAll(async () => {
    // The limiter reads the app's manual clock, so the window can pass without waiting.
    const oauth: NonNullable<CounterpiDeps['oauth']> & { clock: Clock } = { clock };
    t = await startTestApp({ clock, oauth });
    tunnel = tunnelTo(t.url);
    client = await oc.dynamicClientRegistration(
      new URL(PUBLIC_URL),
      { client_name: 'Test Assistant', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
      oc.None(),
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    client[oc.customFetch] = tunnel as oc.CustomFetch;
  });
  afterAll(async () => {
    await t.stop();
  });

  /** The sign-in page of a new authorization, in a fresh browser at `address`. */
  async function signInPageAt(address: string) {
    const browser = createBrowser(viaAddress(tunnel, address));
    const { url } = await authorizationRequest(client, REDIRECT);
    const page = await browser.go(url.href);
    expect(page.html).toContain('Sign in to order');
    return { browser, page };
  }
  const customers = () =>
    (t.app.store.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;

  it('answers 429 with Retry-After past the per-address limit, lets other addresses in, and forgets after the window', async () => {
    const { browser, page } = await signInPageAt('203.0.113.10');
    let last = page;
    for (let n = 0; n < perAddress.limit; n++) {
      last = await browser.submit(last, 0, { name: 'Spam', phone: 'not a phone' });
      expect(last.status).toBe(400);
    }
    const before = customers();
    const res = await browser.submit(last, 0, { name: 'Ada', phone: '+15555550101' });
    expect(res.status).toBe(429);
    expect(res.html).toContain('Too many attempts, try again in 10 minutes.');
    // The browser helper only returns the page; ask once more by hand for the header.
    const action = /action="([^"]+)"/.exec(last.html)?.[1] ?? '';
    const raw = await viaAddress(tunnel, '203.0.113.10')(`${PUBLIC_URL}${action}`, { method: 'POST' });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe(String(perAddress.windowMs / 1000));
    expect(customers()).toBe(before);

    const neighbour = await signInPageAt('198.51.100.20');
    const consent = await neighbour.browser.submit(neighbour.page, 0, { name: 'Bo', phone: '+15555550102' });
    expect(consent.html).toContain('Allow Test Assistant to order for you?');

    clock.advance(perAddress.windowMs / 2);
    const halfway = await viaAddress(tunnel, '203.0.113.10')(`${PUBLIC_URL}${action}`, { method: 'POST' });
    expect(halfway.headers.get('retry-after')).toBe(String(perAddress.windowMs / 2000));
    clock.advance(perAddress.windowMs / 2);
    const again = await signInPageAt('203.0.113.10');
    const allowed = await again.browser.submit(again.page, 0, { name: 'Ada', phone: '+15555550101' });
    expect(allowed.html).toContain('Allow Test Assistant to order for you?');
  });

  it('limits sign-ins per phone number across addresses, and stores nothing when over', async () => {
    const phone = '+15555550199';
    for (let n = 0; n < perPhone.limit; n++) {
      const { browser, page } = await signInPageAt(`192.0.2.${n + 1}`);
      const consent = await browser.submit(page, 0, { name: 'Spam', phone });
      expect(consent.html).toContain('Allow Test Assistant');
    }
    const before = customers();
    const { browser, page } = await signInPageAt('192.0.2.99');
    const refused = await browser.submit(page, 0, { name: 'Spam', phone: '+1 555 555 0199' });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many attempts, try again in 60 minutes.');
    expect(customers()).toBe(before);
    // The same address with another number is fine: the phone was over its limit, not the address.
    const other = await browser.submit(page, 0, { name: 'Cy', phone: '+15555550198' });
    expect(other.html).toContain('Allow Test Assistant');
  });

  // 127.0.0.0/8 is all loopback on Linux, yet 127.0.0.2 is not the tunnel's 127.0.0.1: a peer whose
  // forwarding headers must not be believed. Elsewhere only 127.0.0.1 may exist, so the unit test below covers it.
  it.runIf(process.platform === 'linux')(
    'does not believe forwarding headers from a peer that is not the loopback tunnel',
    async () => {
      const port = Number(new URL(t.url).port);
      const statuses: number[] = [];
      for (let n = 0; n <= perAddress.limit; n++) {
        const spoofed = `203.0.113.${n + 100}`;
        statuses.push(
          await postFrom('127.0.0.2', port, '/oauth/interaction/none/login', {
            'cf-connecting-ip': spoofed,
            'x-forwarded-for': spoofed,
          }),
        );
      }
      expect(statuses.slice(0, perAddress.limit).every((s) => s === 400)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    },
  );
});

/** A bare POST from a chosen local address, which fetch cannot choose. */
function postFrom(localAddress: string, port: number, path: string, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress,
        headers: { ...headers, 'content-length': 0 },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the rate limiter', () => {
  const rule: RateLimit = { limit: 2, windowMs: 60_000 };

  it('counts per key in fixed windows and says how long to wait', () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const limiter = createRateLimiter({ clock, rule });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(limiter.take('a')).toBe(60);
    clock.advance(59_001);
    expect(limiter.take('a')).toBe(1);
    clock.advance(999);
    expect(limiter.take('a')).toBeUndefined();
  });

  it('keeps at most maxKeys keys, forgetting the oldest windows first', () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const limiter = createRateLimiter({ clock, rule: { limit: 1, windowMs: 60_000 }, maxKeys: 3 });
    limiter.take('a');
    clock.advance(1);
    expect(limiter.take('b')).toBeUndefined();
    expect(limiter.take('b')).toBeDefined();
    limiter.take('c');
    limiter.take('d');
    // A fourth key pushed out 'a', the oldest window; 'b' is still remembered, and still over its limit.
    expect(limiter.take('b')).toBeDefined();
    expect(limiter.take('a')).toBeUndefined();
  });

  it('takes the client address from the tunnel headers only when the peer is loopback', () => {
    const headers =
      (h: Record<string, string>) =>
      (name: string): string | undefined =>
        h[name];
    const spoofed = { 'cf-connecting-ip': '203.0.113.1', 'x-forwarded-for': '203.0.113.2' };
    expect(clientAddress('198.51.100.7', headers(spoofed))).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', headers(spoofed))).toBe('203.0.113.1');
    expect(clientAddress('::ffff:127.0.0.1', headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }))).toBe(
      '203.0.113.9',
    );
    expect(clientAddress('::1', headers({}))).toBe('::1');
  });
});
