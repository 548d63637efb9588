import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Menu } from '../src/domain/catalog.js';
import { menuToCsv } from '../src/services/menu/menu-format-csv.js';
import { demoMenu, demoSettings } from '../src/services/shop/demo-shop.js';
import { createCatalogRepo } from '../src/store/catalog-repo.js';
import { openStore } from '../src/store/database.js';
import { createSettingsRepo } from '../src/store/settings-repo.js';

// 60k items make the replacing transaction take ~2.4 s on a 2-core x86 box (the child ~4.5 s in all),
// and its pages start spilling into the WAL after ~0.8 s: a wide window for the kill to land in.
const ITEM_COUNT = 60_000;
const CHILD_TIMEOUT_MS = 90_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/import-child.ts', import.meta.url));

interface ChildResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From the "importing" line to the exit. */
  readonly importMs: number | undefined;
}

/** Given a function that kills the child, starts the kill and returns how to cancel a pending one. */
type KillPlan = (kill: () => void) => () => void;

function largeMenu(): Menu {
  const demo = demoMenu();
  const items = Array.from({ length: ITEM_COUNT }, (_, index) => {
    const model = demo.items[index % demo.items.length] ?? demo.items[0];
    if (model === undefined) throw new Error('the demo menu has no items');
    return { ...model, id: `${model.id}-${index}`, name: `${model.name} ${index}`, sort: index };
  });
  return { ...demo, items };
}

function seededStore(dir: string): string {
  const file = join(dir, 'counterpi.db');
  const store = openStore({ file });
  try {
    createCatalogRepo({ store }).replaceMenu(demoMenu());
    createSettingsRepo({ store, clock: { now: () => new Date(0) } }).saveAll(demoSettings());
  } finally {
    store.close();
  }
  return file;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function runImportChild(dbFile: string, menuFile: string, plan?: KillPlan): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbFile, menuFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let startedAt: number | undefined;
    let cancel = (): void => {};
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (startedAt !== undefined || !stdout.includes('importing\n')) return;
      startedAt = performance.now();
      if (plan !== undefined) cancel = plan(() => child.kill('SIGKILL'));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      cancel();
      const importMs = startedAt === undefined ? undefined : performance.now() - startedAt;
      resolve({ stdout, stderr, code, signal, importMs });
    });
  });
}

function readBack(dbFile: string): { quickCheck: unknown; menu: Menu } {
  const store = openStore({ file: dbFile });
  try {
    return { quickCheck: store.db.pragma('quick_check'), menu: createCatalogRepo({ store }).loadMenu() };
  } finally {
    store.close();
  }
}

describe('killing the process during a large menu import', () => {
  let workDir = '';
  let menuFile = '';
  let menu: Menu;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'counterpi-import-crash-'));
    menu = largeMenu();
    menuFile = join(workDir, 'large-menu.csv');
    writeFileSync(menuFile, menuToCsv(menu, 'USD'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it(
    'the child imports the large menu when left alone',
    async () => {
      const dbFile = seededStore(mkdtempSync(join(workDir, 'complete-')));
      const result = await runImportChild(dbFile, menuFile);
      expect(result.stderr).toBe('');
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
      expect(result.stdout).toBe(`importing\ndone {"items":${ITEM_COUNT},"categories":6,"groups":11}\n`);
      // The kill below must land inside the transaction, so it has to take a while.
      expect(result.importMs).toBeGreaterThan(100);
      const after = readBack(dbFile);
      expect(after.quickCheck).toEqual([{ quick_check: 'ok' }]);
      expect(after.menu).toEqual(menu);
    },
    CHILD_TIMEOUT_MS,
  );

  const plans: [string, (walFile: string) => KillPlan][] = [
    [
      'a few ms after the transaction starts',
      () => (kill) => {
        const timer = setTimeout(kill, 5);
        return () => clearTimeout(timer);
      },
    ],
    [
      'once the transaction has written pages to the WAL',
      (walFile) => (kill) => {
        const timer = setInterval(() => {
          if (fileSize(walFile) === 0) return;
          clearInterval(timer);
          kill();
        }, 2);
        return () => clearInterval(timer);
      },
    ],
  ];

  it.each(plans)(
    'SIGKILL %s leaves the previous menu intact',
    async (_when, makePlan) => {
      const dbFile = seededStore(mkdtempSync(join(workDir, 'killed-')));
      const walFile = `${dbFile}-wal`;
      expect(fileSize(walFile)).toBe(0);
      const result = await runImportChild(dbFile, menuFile, makePlan(walFile));
      expect({ code: result.code, signal: result.signal }).toEqual({ code: null, signal: 'SIGKILL' });
      expect(result.stdout).toBe('importing\n');
      const after = readBack(dbFile);
      expect(after.quickCheck).toEqual([{ quick_check: 'ok' }]);
      expect(after.menu).toEqual(demoMenu());
    },
    CHILD_TIMEOUT_MS,
  );
});
