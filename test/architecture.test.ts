import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const SURFACES = ['http', 'mcp', 'acp', 'auth', 'admin'];

/** Which src folders each folder may import from (DESIGN.md: dependencies point inwards). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  platform: ['platform'],
  config: ['config', 'domain'],
  store: ['store', 'domain', 'platform'],
  devices: ['devices', 'domain', 'platform'],
  services: ['services', 'store', 'domain', 'platform', 'devices'],
  ...Object.fromEntries(SURFACES.map((s) => [s, [...SURFACES, 'services', 'domain', 'platform', 'config']])),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] ?? '');
}

/** Packages that only their folder may import: the ports' drivers, and the store's database. */
const EDGE_PACKAGES: Record<string, string> = {
  onoff: 'devices',
  'node-thermal-printer': 'devices',
  'better-sqlite3': 'store',
};

/** The source files a file imports (types too), by path. */
function localImportsOf(file: string): string[] {
  return importsOf(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'))
    .map((path) => (existsSync(path) ? path : path.replace(/\.ts$/, '.tsx')));
}

/** The first import cycle found (its files, the first again at the end), or [] when there is none. */
function firstCycle(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return [];
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle.length > 0) return cycle;
    }
    path.pop();
    done.add(node);
    return [];
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle.length > 0) return cycle.map((file) => (file.startsWith(SRC) ? relative(SRC, file) : file));
  }
  return [];
}

function folderOf(file: string): string {
  const [top = ''] = relative(SRC, file).split('/');
  return top.replace(/\.tsx?$/, '');
}

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('keeps every import pointing inwards', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      const allowed = ALLOWED[from];
      if (allowed === undefined) continue; // main.ts with wiring/, the CLI and bench/ wire everything
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) {
          if (from === 'domain')
            wrong.push(`${relative(SRC, file)} imports package ${spec}: domain/ is pure`);
          continue;
        }
        const target = folderOf(resolve(dirname(file), spec));
        if (!allowed.includes(target)) wrong.push(`${relative(SRC, file)} imports ${target}/ (${spec})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no export *, no default exports, no console outside the entry points', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const name = relative(SRC, file);
      if (/^export \*/m.test(text)) wrong.push(`${name}: export *`);
      if (/^export default/m.test(text)) wrong.push(`${name}: default export`);
      const entry = name === 'main.ts' || name === 'cli.ts' || name === 'cli-commands.ts';
      if (!entry && /\bconsole\.\w+\(/.test(text)) wrong.push(`${name}: console`);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the MCP tools’ names out of services: a service speaks of fields, a surface of its calls', () => {
    const tool =
      /\b(?:get_shop_info|search_menu|get_menu_item|create_order|update_order|place_order|get_order_status|cancel_order)\b|tools\/call/;
    const wrong = files
      .filter((file) => folderOf(file) === 'services' && tool.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(wrong).toEqual([]);
  });

  it('has no import cycle, not even through types', () => {
    const graph = new Map(files.map((file) => [file, localImportsOf(file)]));
    expect(firstCycle(graph)).toEqual([]);
  });

  it('keeps the hardware and the SQLite driver at the edge: devices/ and store/ alone import them', () => {
    const wrong: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(file)) {
        const home = EDGE_PACKAGES[spec];
        if (home !== undefined && folderOf(file) !== home)
          wrong.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('catches a cycle (the rule itself can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(firstCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('catches a wrong-way import (the rule itself can fail)', () => {
    const spec = '../store/database.js';
    const target = folderOf(resolve(join(SRC, 'http'), spec));
    expect(ALLOWED.http?.includes(target)).toBe(false);
  });
});
