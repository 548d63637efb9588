import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { databaseFile } from '../main.js';
import { createLogger } from '../platform/logger.js';
import { startBenchShop } from './bench-shop.js';

/**
 * Child process of `npm run bench` for the Pi budgets: counterpi alone in its process, as the service
 * runs it, so its `/proc/PID/io` and `/proc/PID/status` are the appliance's own. Logs go to standard
 * error, as they go to journald on the Pi (journald's own writes are not counterpi's). Its printer is
 * the network printer `PRINTER` names: a Pi prints on a real one, where the simulated printer would
 * also write each ticket to two files.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-budget-'));
  const log = createLogger({ level: 'info', destination: pino.destination(2) });
  const { app, acpKey, token, shiftMs } = await startBenchShop(dataDir, log, process.env.PRINTER);
  // The WAL's path, so the bench sees checkpoints (the file starts over, smaller) and measures between two.
  const wal = `${databaseFile(dataDir)}-wal`;
  process.stdout.write(`${JSON.stringify({ app: app.url, acpKey, token, shopShiftMs: shiftMs, wal })}\n`);
  const stop = async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
