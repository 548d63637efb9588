import type { Config } from '../config/config.js';
import { startCounterpi } from '../main.js';
import { createLogger } from '../platform/logger.js';
import { createSdNotify } from '../platform/sd-notify.js';
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
