import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/database.js';
import { runCli } from './helpers/run-cli.js';

describe('counterpi command line', () => {
  it('prints its usage and exits 2 on an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
    expect(result.stderr).toContain('counterpi menu import FILE');
  });

  it('refuses to start with a bad configuration, listing every problem', async () => {
    const result = await runCli(['start'], { PORT: 'abc', PRINTER: 'lpt1', ADMIN_PASSWORD: 'short-pw' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the configuration has 3 problem(s)');
    expect(result.stderr).toContain('PORT must be a port number (got "abc")');
    expect(result.stderr).toContain('PRINTER must be');
    expect(result.stderr).not.toContain('short-pw');
  });

  it('backs up the live database to a file that opens and holds the demo menu', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-cli-'));
    // First start seeds the demo shop; the backup then copies it.
    const seeded = await runCli(['menu', 'export', '--format', 'json'], { DATA_DIR: dataDir });
    expect(seeded.code).toBe(0);
    const file = join(dataDir, 'backups', 'copy.db');
    const result = await runCli(['backup', file], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const copy = openStore({ file });
    const items = copy.db.prepare('SELECT count(*) AS n FROM items').get() as { n: number };
    copy.close();
    expect(items.n).toBeGreaterThanOrEqual(25);
  });
});

describe('counterpi menu', () => {
  it('exports CSV, imports an edited file, and refuses a broken one naming row and column', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-cli-menu-'));
    const exported = await runCli(['menu', 'export'], { DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('Cheeseburger');
    const edited = exported.stdout.replace(
      /(item,cheeseburger,burgers,Cheeseburger,[^\r\n]*?),10\.95,/,
      '$1,11.50,',
    );
    expect(edited).not.toBe(exported.stdout);
    const file = join(dataDir, 'menu.csv');
    writeFileSync(file, edited);
    const imported = await runCli(['menu', 'import', file], { DATA_DIR: dataDir });
    expect(imported.stderr).toMatch(/^Imported \d+ items in 6 categories/m);
    expect(imported.code).toBe(0);
    const json = await runCli(['menu', 'export', '--format', 'json'], { DATA_DIR: dataDir });
    const menu = JSON.parse(json.stdout) as { items: { id: string; price: number }[] };
    expect(menu.items.find((i) => i.id === 'cheeseburger')?.price).toBe(1150);

    const broken = join(dataDir, 'broken.csv');
    writeFileSync(
      broken,
      'kind,id,parent,name,price\ncategory,mains,,Mains,\nitem,burger,mains,Burger,8.5O\n',
    );
    const refused = await runCli(['menu', 'import', broken], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was changed');
    expect(refused.stderr).toMatch(/row 3, column price/);
    const after = await runCli(['menu', 'export', '--format', 'json'], { DATA_DIR: dataDir });
    expect(after.stdout).toBe(json.stdout);
  });
});
