import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { databaseFile } from '../main.js';
import { systemClock } from '../platform/clock.js';
import { listBackups } from '../services/operations/backups.js';
import { restoreBackup } from '../services/operations/restore-encrypted.js';
import { openStore } from '../store/database.js';
import type { CliIo } from './cli-io.js';
import { openShop, ownerAction, ownerAudit } from './shop-access.js';

export async function runBackup(args: string[], config: Config, io: CliIo): Promise<number> {
  const [file] = args;
  if (file === undefined) {
    io.stderr.write('Usage: counterpi backup FILE\n');
    return 2;
  }
  const store = openShop(config, io);
  try {
    store.backup(file);
  } finally {
    store.close();
  }
  io.stderr.write(`Backed up ${databaseFile(config.dataDir)} to ${file}\n`);
  return 0;
}

/**
 * Puts a backup in place of the database. It refuses while anything has the database open (the server,
 * another command): the lock SQLite gives one connection alone is the test, so no pid file can go stale.
 */
export async function runRestore(args: string[], config: Config, io: CliIo): Promise<number> {
  const dir = join(config.dataDir, 'backups');
  let parsed: { values: { 'passphrase-file'?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { 'passphrase-file': { type: 'string' } }, allowPositionals: true });
  } catch {
    parsed = { values: {}, positionals: [] };
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0 || file.startsWith('-')) {
    io.stderr.write(`Usage: counterpi restore FILE [--passphrase-file FILE]
  (an encrypted copy, FILE.db.age, needs the backup passphrase: --passphrase-file /dev/stdin reads it piped in)
${describeBackups(dir)}`);
    return 2;
  }
  const passphraseFile = parsed.values['passphrase-file'];
  // The passphrase is read from a file (or a pipe), never from the command line where `ps` shows it.
  const passphrase =
    passphraseFile === undefined ? undefined : readFileSync(passphraseFile, 'utf8').split('\n')[0]?.trim();
  const result = await restoreBackup(
    { database: databaseFile(config.dataDir), dataDir: config.dataDir, clock: systemClock },
    file,
    passphrase,
  );
  if (!result.ok) {
    io.stderr.write(`${result.message}\n`);
    return 1;
  }
  const store = openStore({ file: databaseFile(config.dataDir) });
  try {
    ownerAudit(store).record(ownerAction('restore', undefined, { file, previous: result.previous }));
  } finally {
    store.close();
  }
  io.stderr.write(
    `Restored ${file}: ${result.items} menu items, ${result.orders} orders (schema ${result.schemaVersion}).\n` +
      (result.previous === undefined ? '' : `The database it replaced is kept as ${result.previous}.\n`) +
      'Start counterpi again: sudo systemctl start counterpi\n',
  );
  return 0;
}

/** The nightly backups a restore can take, newest first. */
function describeBackups(dir: string): string {
  const backups = listBackups(dir);
  if (backups.length === 0) return `No nightly backups in ${dir} yet.\n`;
  const lines = backups.map(
    (b) => `  ${b.file}  ${(b.bytes / 1024).toFixed(0)} KB  ${b.at.toISOString().slice(0, 16)}Z`,
  );
  return `Nightly backups, newest first:\n${lines.join('\n')}\n`;
}
