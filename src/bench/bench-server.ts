import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { loadConfig } from '../config/config.js';
import { startHttpServer } from '../http/server.js';
import { startCounterpi } from '../main.js';
import { createLogger } from '../platform/logger.js';

/** Child process of `npm run bench`: a bare Hono route and the full app, both on loopback. */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-bench-'));
  const bare = new Hono();
  bare.get('/', (c) => c.json({ status: 'ok' }));
  const bareServer = await startHttpServer({ app: bare, host: '127.0.0.1', port: 0 });
  // Logs go to a file, as they would to journald: their cost is part of what is measured.
  const log = createLogger({
    level: 'info',
    destination: (await import('pino')).pino.destination(join(dataDir, 'log.jsonl')),
  });
  const app = await startCounterpi(loadConfig({ DATA_DIR: dataDir, PORT: '0' }), { log });
  process.stdout.write(`${JSON.stringify({ bare: bareServer.url, app: app.url })}\n`);
  const stop = async () => {
    await app.stop();
    await bareServer.close(100);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
