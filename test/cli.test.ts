import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST } from '../src/admin/owner-password.js';
import { databaseFile } from '../src/main.js';
import { openStore } from '../src/store/database.js';
import { startAppProcess } from './helpers/app-process.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const children = new Set<ChildProcess>();
const dataDirs: string[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh data directory, removed after the file's tests. */
function dataDirFor(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `counterpi-${name}-`));
  dataDirs.push(dir);
  return dir;
}

describe('the counterpi binary', () => {
  it('starts from its entry point on this Node, and prints its version', async () => {
    const result = await spawnCli(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(result.stdout).toBe(`${pkg.version}\n`);
    expect(result.code).toBe(0);
  });

  it('serves, hashes ADMIN_PASSWORD at the production scrypt cost, and exits 0 on SIGTERM', async () => {
    const dataDir = dataDirFor('cli-start');
    const app = await startAppProcess(
      { DATA_DIR: dataDir, PUBLIC_URL, ADMIN_PASSWORD: 'correct horse battery' },
      children,
    );
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = openStore({ file: databaseFile(dataDir) });
    const hash = store.db.prepare('SELECT password_hash FROM owner_account').pluck().get();
    store.close();
    const { ln, r, p } = DEFAULT_SCRYPT_COST;
    expect(hash).toMatch(new RegExp(`^\\$scrypt\\$ln=${ln},r=${r},p=${p}\\$`));
    expect(DEFAULT_SCRYPT_COST).toEqual({ ln: 15, r: 8, p: 3 });
  }, 60_000);
});

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
    const dataDir = dataDirFor('cli');
    // First start seeds the demo shop; the backup then copies it.
    const seeded = await runCli(['menu', 'export', '--format', 'json'], { DATA_DIR: dataDir });
    expect(seeded.code).toBe(0);
    const file = join(dataDir, 'backups', 'copy.db');
    const result = await runCli(['backup', file], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    // The next day's backup to the same file takes its place.
    expect((await runCli(['backup', file], { DATA_DIR: dataDir })).code).toBe(0);
    const copy = openStore({ file });
    const items = copy.db.prepare('SELECT count(*) AS n FROM items').get() as { n: number };
    copy.close();
    expect(items.n).toBeGreaterThanOrEqual(25);
  });
});

describe('counterpi menu', () => {
  it('exports CSV, imports an edited file, and refuses a broken one naming row and column', async () => {
    const dataDir = dataDirFor('cli-menu');
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
