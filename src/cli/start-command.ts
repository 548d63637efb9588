import type { Config } from '../config/config.js';
import { databaseFile, startCounterpi } from '../main.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createSdNotify, type SdNotify } from '../platform/sd-notify.js';
import { pendingUpgradeBytes } from '../store/database-file.js';
import { SCHEMA_VERSION, schemaVersion } from '../store/migrations.js';
import type { CliIo } from './cli-io.js';

export async function runStart(_args: string[], config: Config, io: CliIo): Promise<number> {
  const log = createLogger({ level: config.logLevel, destination: io.startLog });
  // READY, WATCHDOG and STOPPING for the Type=notify unit (systemd/counterpi.service); silent outside systemd.
  const systemd = createSdNotify({
    env: io.env,
    pid: process.pid,
    log: log.child({ module: 'systemd' }),
  });
  await askTimeForAnUpgrade(config, systemd, log);
  const app = await startCounterpi(config, { log });
  await systemd.notify({ READY: '1', STATUS: `serving ${config.publicUrl}` });
  // Pings stop by themselves when the event loop stalls; they are withheld when the database stops answering.
  const stopWatchdog = systemd.startWatchdog(() => schemaVersion(app.store.db) === SCHEMA_VERSION);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  stopWatchdog();
  await systemd.notify({ STOPPING: '1' });
  await app.stop();
  log.flush();
  return 0;
}

/**
 * Seconds a first start after an upgrade may take to rebuild the database's pages and migrate it: two
 * minutes, and two seconds per MB. On a PC it took up to 0.1 s per MB (a migration of 100,000 orders,
 * 84 MB, in 8–9 s; new pages for 107 MB in about 5 s); a Pi's card is allowed twenty times as long.
 */
function upgradeSeconds(bytes: number): number {
  return 120 + 2 * Math.ceil(bytes / 1_000_000);
}

/**
 * systemd kills a start that outlasts TimeoutStartSec (two minutes in the unit), and each retry would
 * begin the rolled-back rebuild again. So when the database will be rebuilt or migrated first, the start
 * asks for the time that takes (EXTEND_TIMEOUT_USEC) and says why on `systemctl status`.
 */
async function askTimeForAnUpgrade(config: Config, systemd: SdNotify, log: Logger): Promise<void> {
  const bytes = pendingUpgradeBytes(databaseFile(config.dataDir));
  if (bytes === undefined) return;
  const seconds = upgradeSeconds(bytes);
  const megabytes = Math.ceil(bytes / 1_000_000);
  log.info({ bytes, seconds }, 'the database is upgraded once before serving');
  await systemd.notify({
    EXTEND_TIMEOUT_USEC: String(seconds * 1_000_000),
    STATUS: `upgrading the database (${megabytes} MB) once before serving; this start may take up to ${Math.ceil(seconds / 60)} minutes`,
  });
}
