import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { loadConfig } from '../config/config.js';
import { startHttpServer } from '../http/server.js';
import { startCounterpi } from '../main.js';
import { createLogger } from '../platform/logger.js';
import { startBenchShop } from './bench-shop.js';

/** About the sizes of the bench's search_menu answer and checkout session answer. */
const MCP_ANSWER_BYTES = 880;
const CHECKOUT_ANSWER_BYTES = 5200;

/** Child process of `npm run bench`: a bare Hono route and the full app, both on loopback. */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-bench-'));
  const bare = new Hono();
  bare.get('/', (c) => c.json({ status: 'ok' }));
  // The floors under the MCP and checkout POSTs: read and parse a JSON body, answer JSON of the same
  // size, do nothing else.
  for (const [path, bytes] of [
    ['/mcp-floor', MCP_ANSWER_BYTES],
    ['/checkout-floor', CHECKOUT_ANSWER_BYTES],
  ] as const) {
    const answer = JSON.stringify({ padding: 'x'.repeat(bytes) });
    bare.post(path, async (c) => {
      await c.req.json();
      return c.body(answer, 200, { 'content-type': 'application/json' });
    });
  }
  const bareServer = await startHttpServer({ app: bare, host: '127.0.0.1', port: 0 });
  // Logs go to a file, as they would to journald: their cost is part of what is measured.
  const log = createLogger({
    level: 'info',
    destination: (await import('pino')).pino.destination(join(dataDir, 'log.jsonl')),
  });
  const { app, acpKey, token, shiftMs: shift } = await startBenchShop(dataDir, log);
  // The same app without sign-in (every caller one fixed customer): what verifying tokens costs.
  const openDir = join(dataDir, 'no-auth');
  mkdirSync(openDir);
  const open = await startCounterpi(loadConfig({ DATA_DIR: openDir, PORT: '0' }), {
    log,
    resolveCustomer: () => ({ subject: 'bench-customer', scopes: ['menu:read', 'order:write'] }),
  });
  process.stdout.write(
    `${JSON.stringify({ bare: bareServer.url, app: app.url, open: open.url, token, acpKey, shopShiftMs: shift })}\n`,
  );
  const stop = async () => {
    await app.stop();
    await open.stop();
    await bareServer.close(100);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
