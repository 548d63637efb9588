import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import { type OwnerBrowser, ownerBrowser, paidOrder } from './owner-browser.js';

/** The owner adds a screen-only station (no printer) with its routes on the Stations page. */
export async function addScreenStation(
  owner: OwnerBrowser,
  name: string,
  routes: { categories?: string[]; default?: boolean },
): Promise<number> {
  const page = await owner.get('/admin/stations');
  const body = new URLSearchParams({ csrf: page.csrf ?? '', name, kind: 'none' });
  for (const c of routes.categories ?? []) body.append('categories', c);
  if (routes.default === true) body.append('default', 'on');
  const saved = await owner.post('/admin/stations', body);
  expect(saved.status).toBe(303);
  return Number(/#station-(\d+)/.exec(saved.location ?? '')?.[1]);
}

/** A customer orders these items over MCP and approves on their phone: the order is paid. */
export function paidOrderOf(
  url: string,
  items: readonly { item_id: string; note?: string }[],
  customer = 'ada',
): Promise<{ id: string; code: string }> {
  return paidOrder(
    { url },
    customer,
    items.map((i) => ({ quantity: 1, ...i })),
    'Ada Lovelace',
  );
}

/** A new pairing code from the Stations page, as the owner reads it off the page. */
export async function pairingCode(owner: OwnerBrowser): Promise<string> {
  const page = await owner.get('/admin/stations');
  const made = await owner.post('/admin/stations/screen/code', { csrf: page.csrf ?? '' });
  expect(made.status).toBe(200);
  return /Type ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(made.text)?.[1] ?? '';
}

/** A tablet's browser: posts from its own origin, as a page of it does. */
export function tabletBrowser(url: string) {
  const browser = ownerBrowser(url);
  const origin = new URL(url).origin;
  return {
    ...browser,
    pair: (code: string) => browser.post('/kitchen/pair', { code, name: 'Grill tablet' }, { origin }),
    /** The Cookie header the tablet sends. */
    cookie: () => [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; '),
    /** The CSRF token the screen's page carries. */
    async csrf(): Promise<string> {
      const page = await browser.get('/kitchen');
      return /<meta name="csrf" content="([^"]+)"/.exec(page.text)?.[1] ?? '';
    },
    /** Posts JSON as the screen's script does, with the tablet's cookies, from its origin unless told. */
    json(path: string, body: unknown, headers: Record<string, string> = {}) {
      const text = JSON.stringify(body);
      const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = httpRequest(
          new URL(path, url),
          {
            method: 'POST',
            headers: { origin, cookie, 'content-type': 'application/json', ...headers },
          },
          (res) => {
            let answer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              answer += chunk;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(answer) as Record<string, unknown> }),
            );
          },
        );
        req.on('error', reject);
        req.end(text);
      });
    },
    async board(station: string | number = 'all') {
      const answer = await browser.get(`/kitchen/board?station=${station}`);
      return { status: answer.status, body: JSON.parse(answer.text) as BoardJson };
    },
  };
}

export interface BoardJson {
  readonly version: string;
  readonly stations: { id: number; name: string }[];
  readonly timers: { amberMinutes: number; redMinutes: number };
  readonly cards: {
    key: string;
    orderId: string;
    code: string;
    channel: string;
    lines: { name: string; note?: string; station: string; done: boolean }[];
  }[];
}

/** One server-sent event as a stream reader parsed it. */
export interface SentEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * Follows an event stream with the given cookies (and Last-Event-ID): `until` waits for an event that
 * passes the test (every event so far is in `events`); `ended` resolves when the server closes it.
 */
export function followEvents(url: string, cookie: string, lastEventId?: string) {
  const events: SentEvent[] = [];
  let wake = () => {};
  let buffer = '';
  let closeIt = () => {};
  const ended = new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        headers: {
          cookie,
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let at = buffer.indexOf('\n\n'); at !== -1; at = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .filter((l) => l.startsWith(`${name}:`))
                .map((l) => l.slice(name.length + 1).trimStart());
            if (field('event').length === 0) continue;
            events.push({
              event: field('event')[0] ?? '',
              id: field('id')[0],
              data: field('data').join('\n'),
            });
          }
          wake();
        });
        res.on('end', () => {
          wake();
          resolve();
        });
      },
    );
    req.on('error', reject);
    req.end();
    closeIt = () => req.destroy();
  });
  ended.catch(() => {});
  return {
    events,
    ended,
    close: () => closeIt(),
    async until(test: (e: SentEvent) => boolean, timeoutMs = 5000): Promise<SentEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(test);
        if (found !== undefined) return found;
        if (Date.now() > deadline)
          throw new Error(`no such event in ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
    },
  };
}
