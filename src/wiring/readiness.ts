import type { ReadinessCheck } from '../http/app.js';
import type { StorageState } from '../services/operations/storage-state.js';
import type { Store } from '../store/database.js';
import { SCHEMA_VERSION, schemaVersion } from '../store/migrations.js';
import type { Services } from './build-services.js';
import type { OpenStore } from './open-store.js';

/** What `/ready` reports: the store (required), and each peripheral, which only degrades a feature. */
export function readinessChecks(
  opened: OpenStore,
  services: Pick<
    Services,
    | 'webhookDelivery'
    | 'backups'
    | 'publicUrlCheck'
    | 'printQueue'
    | 'kitchenSignals'
    | 'clockWatch'
    | 'powerFlags'
  >,
): ReadinessCheck[] {
  return [
    storeReadiness(opened.store, opened.storage),
    // Required: while the clock is behind no order is taken, and /ready says why.
    { name: 'clock', required: true, check: () => services.clockWatch.health() },
    // Optional: a weak supply endangers the card but the shop still takes and prints orders; a 503 would
    // take a working shop out of service. The owner's dashboard says it in plain words.
    { name: 'power', required: false, check: () => services.powerFlags.health() },
    { name: 'webhooks', required: false, check: () => services.webhookDelivery.health() },
    { name: 'backups', required: false, check: () => services.backups.health() },
    { name: 'tunnel', required: false, check: () => services.publicUrlCheck.health() },
    { name: 'printer', required: false, check: () => services.printQueue.health() },
    {
      name: 'gpio',
      required: false,
      check: () => {
        const { ok, detail } = services.kitchenSignals.status();
        return { ok, detail };
      },
    },
  ];
}

/** The optional checks as the owner's dashboard lists them; a check that throws says so. */
export function statusLines(readiness: readonly ReadinessCheck[]) {
  return readiness
    .filter((r) => !r.required)
    .map((r) => {
      try {
        return { name: r.name, ...r.check() };
      } catch (error) {
        return { name: r.name, ok: false, detail: error instanceof Error ? error.message : 'check failed' };
      }
    });
}

/** The store for `/ready`: its schema, and degraded while its disk is short of space. */
function storeReadiness(store: Store, storage: StorageState): ReadinessCheck {
  return {
    name: 'store',
    required: true,
    check() {
      const version = schemaVersion(store.db);
      const space = storage.health();
      if (version !== SCHEMA_VERSION)
        return { ok: false, detail: `schema ${version}, expected ${SCHEMA_VERSION}` };
      return { ok: space.ok, detail: `schema ${version}; ${space.detail}` };
    },
  };
}

/** The public address self-check's line, as the dashboard, Connect and the front page judge it. */
export function tunnelLine(readiness: readonly ReadinessCheck[]): { ok: boolean; detail: string } {
  return (
    statusLines(readiness.filter((r) => r.name === 'tunnel'))[0] ?? { ok: false, detail: 'not checked yet' }
  );
}
