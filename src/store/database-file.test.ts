import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOlderDatabase } from '../../test/helpers/older-database.js';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { openStore } from './database.js';
import { pendingUpgradeBytes } from './database-file.js';
import { SCHEMA_VERSION } from './migrations.js';

const tempDir = tempDirs();

/** A database as a build with `pageSize` pages and schema `version` left it, closed. */
function leftBy(pageSize: number, version: number): string {
  const file = join(tempDir('counterpi-upgrade-'), 'counterpi.db');
  writeOlderDatabase(file, pageSize, version);
  return file;
}

describe('pending upgrade', () => {
  it('is nothing for a database this build wrote, a missing file or one that is not SQLite', () => {
    const file = join(tempDir('counterpi-upgrade-'), 'counterpi.db');
    expect(pendingUpgradeBytes(file)).toBeUndefined();
    openStore({ file }).close();
    expect(pendingUpgradeBytes(file)).toBeUndefined();
    const text = join(tempDir('counterpi-upgrade-'), 'notes.db');
    writeFileSync(text, 'not a database at all, but long enough to have a header of sixty-four bytes');
    expect(pendingUpgradeBytes(text)).toBeUndefined();
  });

  it('is the file size when the pages are rebuilt or the schema migrated first, and nothing after', () => {
    for (const file of [leftBy(1024, SCHEMA_VERSION), leftBy(512, SCHEMA_VERSION - 1)]) {
      expect(pendingUpgradeBytes(file)).toBe(statSync(file).size);
      openStore({ file }).close();
      expect(pendingUpgradeBytes(file)).toBeUndefined();
    }
  });
});
