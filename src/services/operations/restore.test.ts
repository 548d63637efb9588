import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { openStore } from '../../store/database.js';
import { SCHEMA_VERSION } from '../../store/migrations.js';
import { restoreDatabase } from './restore.js';

describe('restore', () => {
  let dir: string;
  let backup: string;
  const clock = createManualClock('2026-11-24T08:30:00.123Z');
  const database = () => join(dir, 'data', 'counterpi.db');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'counterpi-restore-unit-'));
    const source = openStore({ file: join(dir, 'source.db') });
    source.db
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('marker', ?, 0)")
      .run('"from the backup"');
    backup = join(dir, 'backup.db');
    source.backup(backup);
    source.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const marker = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return (
        db.prepare("SELECT value FROM settings WHERE key = 'marker'").get() as { value: string } | undefined
      )?.value;
    } finally {
      db.close();
    }
  };

  it('puts a backup in place on a fresh machine, readable only by its owner', () => {
    const result = restoreDatabase({ database: database(), clock }, backup);
    expect(result).toMatchObject({ ok: true, schemaVersion: SCHEMA_VERSION, orders: 0, previous: undefined });
    expect(marker(database())).toBe('"from the backup"');
    expect(statSync(database()).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'data'))).toEqual(['counterpi.db']);
  });

  it('moves a database SQLite cannot open aside, with its log, and restores over it', () => {
    const live = openStore({ file: database() });
    live.close();
    writeFileSync(database(), Buffer.alloc(8192, 0x42));
    writeFileSync(`${database()}-wal`, 'old log');
    const result = restoreDatabase({ database: database(), clock }, backup);
    expect(result).toMatchObject({ ok: true, previous: `${database()}.before-restore-20261124T083000Z` });
    expect(marker(database())).toBe('"from the backup"');
    expect(readdirSync(join(dir, 'data')).sort()).toEqual([
      'counterpi.db',
      'counterpi.db.before-restore-20261124T083000Z',
      'counterpi.db.before-restore-20261124T083000Z-wal',
    ]);
  });

  it('refuses a file from a newer counterpi, a foreign database and a live one', () => {
    const newer = join(dir, 'newer.db');
    copyFileSync(backup, newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const foreign = join(dir, 'foreign.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    const live = openStore({ file: join(dir, 'live.db') });
    live.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', 0)").run();

    expect(restoreDatabase({ database: database(), clock }, newer)).toMatchObject({
      ok: false,
      reason: 'too_new',
    });
    expect(restoreDatabase({ database: database(), clock }, foreign)).toMatchObject({
      ok: false,
      reason: 'not_counterpi',
    });
    expect(restoreDatabase({ database: database(), clock }, join(dir, 'live.db'))).toMatchObject({
      ok: false,
      reason: 'live_file',
    });
    expect(restoreDatabase({ database: database(), clock }, join(dir, 'missing.db'))).toMatchObject({
      ok: false,
      reason: 'not_found',
    });
    live.close();
    expect(existsSync(database())).toBe(false);
  });
});
