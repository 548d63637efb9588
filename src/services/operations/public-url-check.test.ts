import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import {
  checkPublicUrl,
  createPublicUrlCheck,
  isLoopbackUrl,
  isReservedExampleUrl,
} from './public-url-check.js';
import { readQuickTunnelUrl } from './quick-tunnel.js';

const PUBLIC_URL = 'https://shop.example.test';
const servers: Server[] = [];

async function serve(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound once, then closed. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What the tunnel does: requests for PUBLIC_URL reach a server on loopback. */
function tunnelTo(port: number): typeof fetch {
  return (input, init) => fetch(String(input).replace(PUBLIC_URL, `http://127.0.0.1:${port}`), init);
}

const json =
  (status: number, body: unknown): RequestListener =>
  (req, res) => {
    if (req.url !== '/.well-known/oauth-authorization-server' && req.url !== '/quicktunnel') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

function capturingLogger() {
  const lines: { level: string; msg: string; detail?: string }[] = [];
  const log = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  return { log, lines };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('public URL self-check', () => {
  it('is ok when our own metadata comes back with issuer = PUBLIC_URL', async () => {
    const port = await serve(json(200, { issuer: PUBLIC_URL }));
    const status = await checkPublicUrl({ publicUrl: PUBLIC_URL, fetch: tunnelTo(port) });
    expect(status.state).toBe('ok');
  });

  it('reports a mismatch when another server answers with another issuer', async () => {
    const port = await serve(json(200, { issuer: 'https://someone-else.example.test' }));
    const status = await checkPublicUrl({ publicUrl: PUBLIC_URL, fetch: tunnelTo(port) });
    expect(status).toEqual({
      state: 'mismatch',
      detail: `${PUBLIC_URL} answers with issuer https://someone-else.example.test: another server answers at PUBLIC_URL`,
    });
  });

  it('reports a mismatch when the address serves something without our metadata', async () => {
    const port = await serve((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>hi</h1>'),
    );
    const status = await checkPublicUrl({ publicUrl: PUBLIC_URL, fetch: tunnelTo(port) });
    expect(status.state).toBe('mismatch');
    expect(status.detail).toContain('HTTP 404');
  });

  it('reports unreachable when nothing answers, or the edge says the tunnel is down', async () => {
    const refused = await checkPublicUrl({ publicUrl: PUBLIC_URL, fetch: tunnelTo(await refusedPort()) });
    expect(refused).toEqual({ state: 'unreachable', detail: `${PUBLIC_URL} does not answer (ECONNREFUSED)` });
    const down = await checkPublicUrl({ publicUrl: PUBLIC_URL, fetch: tunnelTo(await serve(json(530, {}))) });
    expect(down.state).toBe('unreachable');
    expect(down.detail).toContain('HTTP 530');
  });

  it('skips a loopback PUBLIC_URL without fetching', async () => {
    const fetched: string[] = [];
    const spy: typeof fetch = async (input) => {
      fetched.push(String(input));
      return new Response('{}');
    };
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:8080', 'http://[::1]:8080']) {
      expect(isLoopbackUrl(url)).toBe(true);
      expect((await checkPublicUrl({ publicUrl: url, fetch: spy })).state).toBe('skipped');
    }
    expect(isLoopbackUrl(PUBLIC_URL)).toBe(false);
    expect(fetched).toEqual([]);
  });

  it('retries until the tunnel comes up, logging each change once and naming a running quick tunnel', async () => {
    const { log, lines } = capturingLogger();
    let port = await refusedPort();
    const check = createPublicUrlCheck({
      publicUrl: PUBLIC_URL,
      fetch: (input, init) => tunnelTo(port)(input, init),
      log,
      quickTunnel: async () => 'https://random-words.trycloudflare.com',
      retryMs: [20],
      recheckMs: 60_000,
    });
    expect(check.health()).toEqual({ ok: false, detail: 'not checked yet' });
    check.start();
    await until(() => check.health().detail.includes('ECONNREFUSED'));
    expect(check.health().ok).toBe(false);
    expect(check.health().detail).toContain('set PUBLIC_URL=https://random-words.trycloudflare.com');
    await new Promise((resolve) => setTimeout(resolve, 100));
    port = await serve(json(200, { issuer: PUBLIC_URL }));
    await until(() => check.health().ok);
    check.stop();
    const changes = lines.filter((l) => l.msg.includes('PUBLIC_URL') || l.msg.includes('public URL'));
    expect(changes.map((l) => l.level)).toEqual(['warn', 'info']);
  });

  it('says "skipped" on /ready for a loopback PUBLIC_URL', () => {
    const check = createPublicUrlCheck({
      publicUrl: 'http://localhost:8080',
      fetch: () => Promise.reject(new Error('must not fetch')),
      log: capturingLogger().log,
    });
    check.start();
    expect(check.health()).toEqual({
      ok: true,
      detail: 'PUBLIC_URL http://localhost:8080 is this machine: no tunnel to check',
    });
  });
});

describe('quick tunnel address', () => {
  it('reads the hostname from the first cloudflared metrics port that has a quick tunnel', async () => {
    const named = await serve(json(200, { hostname: '' }));
    const quick = await serve(json(200, { hostname: 'Random-Words-Here.trycloudflare.com' }));
    const ports = [await refusedPort(), named, quick];
    expect(await readQuickTunnelUrl({ fetch, ports })).toBe('https://random-words-here.trycloudflare.com');
  });

  it('finds none when no cloudflared runs, or the answer is not a host name', async () => {
    expect(await readQuickTunnelUrl({ fetch, ports: [await refusedPort()] })).toBeUndefined();
    const odd = await serve(json(200, { hostname: 'evil.example/path?x' }));
    const notJson = await serve((_req, res) => res.end('OK\n'));
    expect(await readQuickTunnelUrl({ fetch, ports: [odd, notJson] })).toBeUndefined();
  });
});

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('reserved example names', () => {
  it('are never looked up: no tunnel serves them', () => {
    for (const url of [
      'https://burgers.example.com',
      'https://shop.example',
      'https://a.test',
      'https://x.invalid',
    ]) {
      expect(isReservedExampleUrl(url)).toBe(true);
    }
    for (const url of ['https://burgers.shop', 'https://examples.com', 'https://my-example.org.uk']) {
      expect(isReservedExampleUrl(url)).toBe(false);
    }
  });
});
