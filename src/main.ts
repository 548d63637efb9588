import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILES } from './auth/key-files.js';
import type { Config } from './config/config.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';
import type { ShopStoreDeps } from './services/operations/shop-guard.js';
import type { Store } from './store/database.js';
import { isStorageFull, storageFullAtStart } from './store/storage-full.js';
import { buildServices } from './wiring/build-services.js';
import type { CounterpiDeps } from './wiring/counterpi-deps.js';
import { mountSurfaces } from './wiring/mount-surfaces.js';
import { openStore } from './wiring/open-store.js';
import { createShutdown } from './wiring/shutdown.js';
import { startWorkers } from './wiring/start-workers.js';

export type { CounterpiDeps } from './wiring/counterpi-deps.js';

/** A running counterpi. */
export interface Counterpi {
  readonly url: string;
  readonly store: Store;
  stop(): Promise<void>;
}

/** The database file inside the data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'counterpi.db');
}

/** How the shop's database is opened, by `start` and by every command that uses it. */
export function shopStoreDeps(config: Pick<Config, 'dataDir'>, clock: Clock, log: Logger): ShopStoreDeps {
  return { dataDir: config.dataDir, database: databaseFile(config.dataDir), keyFiles: KEY_FILES, clock, log };
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Wires real or simulated parts once and starts serving, in four steps: open the store, build the
 * services, mount the surfaces, start the workers. The only place that picks implementations (src/wiring/).
 */
export async function startCounterpi(config: Config, deps: CounterpiDeps): Promise<Counterpi> {
  const shutdown = createShutdown(deps.log);
  try {
    const opened = openStore(config, shopStoreDeps(config, deps.clock ?? systemClock, deps.log), shutdown);
    const services = await buildServices(opened, config, deps);
    shutdown.defer(() => services.audit.flush());
    const wiring = { opened, services, config, deps, shutdown, version: VERSION };
    const surfaces = await mountSurfaces(wiring);
    const server = await startWorkers(wiring, surfaces);
    return { url: server.url, store: opened.store, stop: () => shutdown.run() };
  } catch (error) {
    await shutdown.run();
    // A full disk met on the way up is said for the operator: which disk, and how much is free.
    throw isStorageFull(error, config.dataDir)
      ? storageFullAtStart(databaseFile(config.dataDir), error)
      : error;
  }
}
