import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { mintAccessToken } from '../auth/access-token.js';
import { loadOrCreateAcpSigningRoot, loadOrCreateSigningKeys } from '../auth/key-files.js';
import { loadConfig } from '../config/config.js';
import { startHttpServer } from '../http/server.js';
import { startCounterpi } from '../main.js';
import { systemClock } from '../platform/clock.js';
import { randomIds } from '../platform/ids.js';
import { createLogger } from '../platform/logger.js';
import { createAcpKeys } from '../services/checkout/acp-keys.js';
import { createAcpKeysRepo } from '../store/acp-keys-repo.js';

const OPEN_NOON = '2026-11-24T17:00:00Z';
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
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
  // Shop time runs from a Tuesday noon in the demo shop's time zone, so the shop is open and orders
  // can be completed whenever the bench runs.
  const shift = Date.parse(OPEN_NOON) - Date.now();
  const app = await startCounterpi(config, { log, clock: { now: () => new Date(Date.now() + shift) } });
  const acpKey = createAcpKeys({
    repo: createAcpKeysRepo({ store: app.store }),
    clock: systemClock,
    ids: randomIds,
    signingRoot: loadOrCreateAcpSigningRoot(dataDir),
  }).create('bench').secret;
  // The same app without sign-in (every caller one fixed customer): what verifying tokens costs.
  const openDir = join(dataDir, 'no-auth');
  mkdirSync(openDir);
  const open = await startCounterpi(loadConfig({ DATA_DIR: openDir, PORT: '0' }), {
    log,
    resolveCustomer: () => ({ subject: 'bench-customer', scopes: ['menu:read', 'order:write'] }),
  });
  // A real customer token, so the MCP rows include verifying it as production does.
  const token = await mintAccessToken({
    publicUrl: config.publicUrl,
    signingKeys: await loadOrCreateSigningKeys(dataDir),
    subject: 'bench-customer',
    scopes: ['menu:read', 'order:write'],
    clientId: 'counterpi-bench',
    now: new Date(Date.now() + shift),
    ttlSeconds: 3600,
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
