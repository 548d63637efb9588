import { join } from 'node:path';
import type { Config } from './config/config.js';
import { createHttpApp, type ReadinessCheck } from './http/app.js';
import { type HttpServer, startHttpServer } from './http/server.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';
import { seedShopIfEmpty } from './services/seed-shop.js';
import { createCatalogRepo } from './store/catalog-repo.js';
import { openStore, type Store } from './store/database.js';
import { createIdempotencyRepo } from './store/idempotency-repo.js';
import { SCHEMA_VERSION, schemaVersion } from './store/migrations.js';
import { createSearchIndex } from './store/search-index.js';
import { createSettingsRepo } from './store/settings-repo.js';

/** A running counterpi. */
export interface Counterpi {
  readonly url: string;
  readonly store: Store;
  stop(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;

/** The database file inside the data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'counterpi.db');
}

/** Wires real or simulated parts once and starts serving; the only place that picks implementations. */
export async function startCounterpi(
  config: Config,
  deps: { log: Logger; clock?: Clock },
): Promise<Counterpi> {
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const store = openStore({ file: databaseFile(config.dataDir) });
  const stack: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    const settings = createSettingsRepo({ store, clock });
    const catalog = createCatalogRepo({ store });
    const idempotencyRepo = createIdempotencyRepo({ store });
    const abandoned = idempotencyRepo.releaseAbandoned();
    if (abandoned > 0)
      log.warn({ abandoned }, 'released idempotency keys of requests cut short by the last stop');
    seedShopIfEmpty({ settings, catalog, searchIndex: createSearchIndex({ store }), log });

    const purge = setInterval(() => idempotencyRepo.purgeExpired(clock.now().getTime()), HOUR_MS);
    purge.unref();
    stack.push(() => clearInterval(purge));

    const app = createHttpApp({ log, readiness: [storeReadiness(store)] });
    const server: HttpServer = await startHttpServer({ app, host: config.host, port: config.port });
    stack.push(() => server.close());
    if (!['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
      log.warn(
        { host: config.host },
        'listening beyond loopback: the tunnel is the only public entrance counterpi expects',
      );
    }
    log.info(
      { url: server.url, public_url: config.publicUrl, data_dir: config.dataDir },
      'counterpi is serving',
    );
    return { url: server.url, store, stop: () => unwind(stack, log) };
  } catch (error) {
    await unwind(stack, log);
    throw error;
  }
}

function storeReadiness(store: Store): ReadinessCheck {
  return {
    name: 'store',
    required: true,
    check() {
      const version = schemaVersion(store.db);
      return version === SCHEMA_VERSION
        ? { ok: true, detail: `schema ${version}` }
        : { ok: false, detail: `schema ${version}, expected ${SCHEMA_VERSION}` };
    },
  };
}

async function unwind(stack: (() => Promise<void> | void)[], log: Logger): Promise<void> {
  while (stack.length > 0) {
    const step = stack.pop();
    try {
      await step?.();
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
    }
  }
}
