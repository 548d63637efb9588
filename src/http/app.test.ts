import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/app-error.js';
import { createLogger } from '../platform/logger.js';
import { createHttpApp, type ReadinessCheck } from './app.js';
import { startHttpServer } from './server.js';

function setup(readiness: ReadinessCheck[] = []) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger({ level: 'debug', destination });
  const app = createHttpApp({ log, readiness, maxBodyBytes: 1024 });
  app.post('/echo', async (c) => c.json(await c.req.json()));
  app.get('/sold-out', () => {
    throw new AppError('item_sold_out', 'Cheeseburger is sold out today.', {
      violations: [
        { code: 'item_sold_out', message: 'Cheeseburger is sold out today.', path: 'lines.0.item_id' },
      ],
    });
  });
  app.get('/busy', () => {
    throw new AppError('idempotency_in_flight', 'Still running.', { retryAfter: 2 });
  });
  app.get('/boom', () => {
    throw new Error('secret database path /var/lib/counterpi exploded');
  });
  return { app, lines };
}

describe('http skeleton', () => {
  it('answers /health without auth', async () => {
    const res = await setup().app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready 503 when a required component fails, 200 when only an optional one does', async () => {
    const failing = (required: boolean): ReadinessCheck => ({
      name: 'printer',
      required,
      check: () => ({ ok: false, detail: 'offline' }),
    });
    const down = await setup([failing(true)]).app.request('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'not_ready',
      components: [{ name: 'printer', required: true, ok: false, detail: 'offline' }],
    });
    expect((await setup([failing(false)]).app.request('/ready')).status).toBe(200);
    const throwing: ReadinessCheck = {
      name: 'store',
      required: true,
      check: () => {
        throw new Error('database is locked');
      },
    };
    const res = await setup([throwing]).app.request('/ready');
    expect(await res.json()).toMatchObject({ components: [{ ok: false, detail: 'database is locked' }] });
  });

  it('gives every response a request id, keeps a sane incoming one, and logs it', async () => {
    const { app, lines } = setup();
    const own = await app.request('/health');
    const next = await app.request('/health');
    const ownId = own.headers.get('x-request-id') ?? '';
    expect(ownId).toMatch(/^[\w-]{8}-[0-9a-z]+$/);
    expect(next.headers.get('x-request-id')).not.toBe(ownId);
    // Another app (a restart) starts from another prefix.
    expect((await setup().app.request('/health')).headers.get('x-request-id')?.slice(0, 9)).not.toBe(
      ownId.slice(0, 9),
    );
    const given = await app.request('/health', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    expect(lines.at(-1)).toMatchObject({ req_id: 'abc-123', path: '/health', status: 200, msg: 'request' });
  });

  it('refuses a body over the limit with 413 and a JSON error', async () => {
    const res = await setup().app.request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(600)));
        controller.close();
      },
    });
    const streamed = await setup().app.request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('maps AppError codes to statuses with violations and Retry-After', async () => {
    const { app } = setup();
    const soldOut = await app.request('/sold-out');
    expect(soldOut.status).toBe(422);
    expect(await soldOut.json()).toMatchObject({
      error: { code: 'item_sold_out', violations: [{ path: 'lines.0.item_id' }] },
    });
    const busy = await app.request('/busy');
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('2');
  });

  it('answers an unexpected error with a generic 500 and logs the detail only', async () => {
    const { app, lines } = setup();
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('exploded');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(JSON.stringify(lines)).toContain('exploded');
  });

  it('sends security headers and a JSON 404', async () => {
    const res = await setup().app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('sends the same headers over a real Node server, where a handler may override one', async () => {
    const { app } = setup();
    app.get('/framed', () => new Response('embeddable', { headers: { 'x-frame-options': 'DENY' } }));
    const server = await startHttpServer({ app, host: '127.0.0.1', port: 0 });
    try {
      const json = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'tunnel-7' } });
      expect(json.headers.get('x-content-type-options')).toBe('nosniff');
      expect(json.headers.get('strict-transport-security')).toContain('max-age=');
      expect(json.headers.get('x-request-id')).toBe('tunnel-7');
      const raw = await fetch(`${server.url}/framed`, { headers: { 'x-request-id': 'bad id\u00e9' } });
      expect(raw.headers.get('x-frame-options')).toBe('DENY');
      expect(raw.headers.get('referrer-policy')).toBe('no-referrer');
      expect(raw.headers.get('x-request-id')).toMatch(/^[\w-]{8}-[0-9a-z]+$/);
      const posted = await fetch(`${server.url}/echo`, { method: 'POST', body: '{"a":1}' });
      expect(await posted.json()).toEqual({ a: 1 });
    } finally {
      await server.close(100);
    }
  });

  it('never logs an authorization header', async () => {
    const { lines } = setup();
    const log = createLogger({
      destination: new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    });
    log.info({ headers: { authorization: 'Bearer sk_live_abc' }, password: 'pw123456789' }, 'x');
    expect(JSON.stringify(lines)).not.toMatch(/sk_live_abc|pw123456789/);
  });
});
