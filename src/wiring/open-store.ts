import type { Config } from '../config/config.js';
import { type AuditWriter, startAuditWriter } from '../services/audit/audit-writer.js';
import { openShopStore, type ShopStoreDeps } from '../services/operations/shop-guard.js';
import { createStorageState, type StorageState } from '../services/operations/storage-state.js';
import type { Store } from '../store/database.js';
import { createIdempotencyRepo } from '../store/idempotency-repo.js';
import type { Shutdown } from './shutdown.js';

/** The shop's store, open and migrated, with what watches its disk and writes its audit rows of reads. */
export interface OpenStore {
  readonly store: Store;
  /** The disk's free space, read by /ready, the dashboard, the order-taking gate and the log. */
  readonly storage: StorageState;
  /** Rows of reads are written, and the WAL checkpointed, by a thread of their own, off the answers' path. */
  readonly auditWriter: AuditWriter;
}

/**
 * Opens the shop's store (`shopStore`: how every command opens it) and starts watching its disk and
 * writing its audit rows of reads; `shutdown` stops them and closes the store.
 */
export function openStore(
  config: Pick<Config, 'diskReserveBytes'>,
  shopStore: ShopStoreDeps,
  shutdown: Shutdown,
): OpenStore {
  const { clock, log } = shopStore;
  const storage = createStorageState({
    dir: shopStore.dataDir,
    reserveBytes: config.diskReserveBytes,
    clock,
    log: log.child({ module: 'storage' }),
  });
  const store = openShopStore({ ...shopStore, onFull: () => storage.writeRefused() });
  shutdown.defer(() => store.close());
  const abandoned = createIdempotencyRepo({ store }).releaseAbandoned();
  if (abandoned > 0)
    log.warn({ abandoned }, 'released idempotency keys of requests cut short by the last stop');
  storage.start();
  shutdown.defer(() => storage.stop());
  const auditWriter = startAuditWriter({
    store,
    log: log.child({ module: 'audit' }),
    onFull: () => storage.writeRefused(),
  });
  shutdown.defer(() => auditWriter.close());
  return { store, storage, auditWriter };
}
