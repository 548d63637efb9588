import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { syncPath } from '../../platform/sync-path.js';
import { createCatalogRepo } from '../../store/catalog-repo.js';
import { openStore, type Store } from '../../store/database.js';
import { hasSqliteHeader } from '../../store/database-file.js';
import { SCHEMA_VERSION } from '../../store/migrations.js';
import { createSearchIndex } from '../../store/search-index.js';
import { createSettingsRepo } from '../../store/settings-repo.js';
import { seedShopIfEmpty } from '../shop/seed-shop.js';
import { type BackupFile, listBackups } from './backups.js';

/**
 * Written into DATA_DIR once the shop's first database is seeded (or at the first start of a shop that
 * predates it): from then on a missing or empty database is a loss to restore, never a first start.
 */
export const SHOP_MARKER_FILE = 'counterpi-shop.json';

export interface ShopStoreDeps {
  readonly dataDir: string;
  /** The database file, `DATA_DIR/counterpi.db`. */
  readonly database: string;
  /** Names of the secret files in DATA_DIR that only a shop that has run has. */
  readonly keyFiles: readonly string[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Told when a write fails for want of space (the storage state counts it). */
  readonly onFull?: () => void;
}

/**
 * Opens the shop's database for serving or for a command: a first start (nothing in DATA_DIR) seeds the
 * demo shop and writes the marker; a database that is missing, empty or not SQLite while DATA_DIR shows
 * the shop existed (marker, keys, tickets, backups) is refused with the backups to restore, before
 * anything is created, so that the owner's password cannot be claimed again on a brand-new shop.
 */
export function openShopStore(deps: ShopStoreDeps): Store {
  const problem = blankDatabase(deps.database);
  if (problem !== undefined) {
    const traces = shopTraces(deps);
    if (traces.length > 0) throw lostShop(deps, problem, traces);
  }
  const store = openStore({
    file: deps.database,
    ...(deps.onFull === undefined ? {} : { onFull: deps.onFull }),
  });
  try {
    const settings = createSettingsRepo({ store, clock: deps.clock });
    // A marker with an unseeded database: a command made a fresh file where the shop's was.
    const marker = readMarker(deps.dataDir);
    if (marker !== undefined && settings.load() === undefined) {
      throw lostShop(deps, 'holds no shop', [`${SHOP_MARKER_FILE} (${marker})`]);
    }
    const catalog = createCatalogRepo({ store });
    const seeded = seedShopIfEmpty({
      settings,
      catalog,
      searchIndex: createSearchIndex({ store, catalog }),
      log: deps.log,
    });
    // A shop from before the marker existed gets one at its next start, as a first start does.
    if (marker === undefined) writeMarker(deps, seeded);
    return store;
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Why the database file cannot be a shop's as it is, or undefined when SQLite should open it. */
function blankDatabase(file: string): string | undefined {
  if (!existsSync(file)) return 'is missing';
  if (statSync(file).size === 0) return 'is empty (0 bytes)';
  if (!hasSqliteHeader(file)) return 'is not a SQLite database';
  return undefined;
}

/** What in DATA_DIR shows that a shop ran here before. */
function shopTraces(deps: ShopStoreDeps): string[] {
  const { dataDir } = deps;
  const marker = readMarker(dataDir);
  const keys = deps.keyFiles.filter((name) => existsSync(join(dataDir, name)));
  const tickets = filesIn(join(dataDir, 'tickets'));
  const backups = listBackups(join(dataDir, 'backups')).length;
  return [
    ...(marker === undefined ? [] : [`${SHOP_MARKER_FILE} (${marker})`]),
    ...(keys.length === 0 ? [] : [`keys (${keys.join(', ')})`]),
    ...(tickets === 0 ? [] : [`${tickets} printed ticket(s) in tickets/`]),
    ...(backups === 0 ? [] : [`${backups} backup(s) in backups/`]),
  ];
}

function filesIn(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

function lostShop(deps: ShopStoreDeps, problem: string, traces: readonly string[]): AppError {
  const backups = listBackups(join(deps.dataDir, 'backups'));
  return new AppError(
    'store_missing',
    [
      `counterpi will not start a new shop: the database ${deps.database} ${problem}, but ${deps.dataDir} ` +
        `shows that a shop ran here (${traces.join('; ')}). A new database would reopen onboarding and let ` +
        'anyone on the network claim the owner password. Nothing was changed.',
      ...restoreAdvice(backups),
    ].join('\n'),
    { details: { database: deps.database, problem, traces, backups: backups.map((b) => b.file) } },
  );
}

/** The restore command for the newest backup, and every backup newest first. */
function restoreAdvice(backups: readonly BackupFile[]): string[] {
  const [newest] = backups;
  if (newest === undefined) {
    return [
      'There is no nightly backup in backups/. Restore a copy you made with "counterpi backup FILE":',
      '  counterpi restore FILE',
    ];
  }
  return [
    'Restore the newest backup, then start counterpi again (docs/owner.md, "Restoring a backup"):',
    `  counterpi restore ${newest.file}`,
    'Backups, newest first:',
    ...backups.map((b) => `  ${b.file}  ${(b.bytes / 1024).toFixed(0)} KB  ${b.at.toISOString()}`),
  ];
}

/** When the marker says the shop was created, or undefined when there is no marker. */
function readMarker(dataDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, SHOP_MARKER_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { written_at: at } = JSON.parse(text) as { written_at?: unknown };
    return typeof at === 'string' ? `written ${at}` : 'present';
  } catch {
    // A torn or edited marker still says a shop was here.
    return 'present';
  }
}

/** Writes the marker whole or not at all (temp file, fsync, rename, fsync of the directory). */
function writeMarker(deps: ShopStoreDeps, firstStart: boolean): void {
  const file = join(deps.dataDir, SHOP_MARKER_FILE);
  const partial = `${file}.partial`;
  const marker = {
    written_at: deps.clock.now().toISOString(),
    first_start: firstStart,
    database: basename(deps.database),
    schema: SCHEMA_VERSION,
    note: 'counterpi refuses to start a new shop beside this file when the database is missing or empty',
  };
  try {
    writeFileSync(partial, `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
    syncPath(partial);
    renameSync(partial, file);
    syncPath(deps.dataDir);
  } catch (error) {
    // The keys and backups still guard the shop; a full or read-only disk must not stop it serving.
    deps.log.warn({ err: error, file }, 'could not write the shop marker; will try again at the next start');
  }
}
