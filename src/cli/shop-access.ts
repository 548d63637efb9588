import type { Config } from '../config/config.js';
import { shopStoreDeps } from '../main.js';
import { systemClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { type AuditLog, createAuditLog } from '../services/audit/audit-log.js';
import { openShopStore } from '../services/operations/shop-guard.js';
import { createAuditRepo } from '../store/audit-repo.js';
import type { Store } from '../store/database.js';
import type { CliIo } from './cli-io.js';

/**
 * Opens the shop's store for a one-off command: the same shop `start` serves, seeded on first use, and
 * refused as `start` refuses it when the database is lost (only `restore` goes on without it).
 */
export function openShop(config: Config, io: CliIo): Store {
  const log = createLogger({ level: config.logLevel, destination: io.stderr });
  return openShopStore(shopStoreDeps(config, systemClock, log));
}

export function withShop<T>(config: Config, io: CliIo, fn: (store: Store) => T): T {
  const store = openShop(config, io);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** The audit log over an open store, for owner commands. */
export function ownerAudit(store: Store): AuditLog {
  return createAuditLog({ store, repo: createAuditRepo({ store }), clock: systemClock });
}

/** An audit entry for a state change the owner made from the command line. */
export function ownerAction(action: string, target: string | undefined, input?: unknown) {
  return {
    actorKind: 'owner',
    actor: 'cli',
    action: `owner.${action}`,
    target,
    outcome: 'ok',
    input,
  } as const;
}
