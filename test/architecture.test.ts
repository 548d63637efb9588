import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const SURFACES = ['http', 'mcp', 'acp', 'auth', 'admin'];

/** Packages domain/ may use: pure functions over data they ship (no I/O, no clock, no state). */
const PURE_PACKAGES = ['libphonenumber-js'];

/** Which src folders each folder may import from (DESIGN.md: dependencies point inwards). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  platform: ['platform'],
  config: ['config', 'domain'],
  store: ['store', 'domain', 'platform'],
  devices: ['devices', 'domain', 'platform'],
  services: ['services', 'store', 'domain', 'platform', 'devices'],
  // Surfaces share only http/, the web frame (request frame, error answers, body and form reading,
  // html): what one surface needs of another belongs there or in a service.
  ...Object.fromEntries(SURFACES.map((s) => [s, [s, 'http', 'services', 'domain', 'platform', 'config']])),
};

/** Packages that reach hardware; they and every package with a native addon live in devices/ … */
const HARDWARE = ['onoff', 'node-thermal-printer', 'usb', 'serialport'];
/** … but SQLite, which is the store's (the audit writer's worker opens it through store/ too). */
const NATIVE_HOME: Record<string, string> = { 'better-sqlite3': 'store' };

/** Names under src/ (`acp/acp-error.ts`) of every source file below `dir`, tests left out. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative(SRC, path)] : [];
  });
}

/** What a file imports: imports and re-exports (type-only ones too) and dynamic `import()`. */
function importsOf(name: string): string[] {
  const text = readFileSync(join(SRC, name), 'utf8');
  const statics = text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms);
  const dynamics = text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g);
  return [...statics, ...dynamics].map((m) => m[1] ?? '');
}

/** The src name a relative import points at: `./x.js` is x.ts or x.tsx. */
function resolveImport(name: string, spec: string): string {
  const base = resolve(dirname(join(SRC, name)), spec).replace(/\.js$/, '');
  return relative(SRC, ['.ts', '.tsx'].map((ext) => base + ext).find(existsSync) ?? base);
}

function folderOf(name: string): string {
  const [top = ''] = name.split('/');
  return top.replace(/\.tsx?$/, '');
}

/** `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`. */
function packageOf(spec: string): string {
  const [first = '', second = ''] = spec.split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/** True for a package that builds or ships a native addon. */
function isNative(pkg: string): boolean {
  const dir = join(ROOT, 'node_modules', pkg);
  return existsSync(join(dir, 'binding.gyp')) || existsSync(join(dir, 'prebuilds'));
}

/** What is wrong with src file `from` importing src file `to`, if anything. */
function wrongImport(from: string, to: string): string | undefined {
  const allowed = ALLOWED[folderOf(from)];
  if (allowed === undefined) return undefined; // main.ts with wiring/, the CLI and bench/ wire everything
  if (allowed.includes(folderOf(to))) return undefined;
  return `${from} imports ${to}`;
}

/** What is wrong with src file `from` importing package `pkg`, if anything. */
function wrongPackage(from: string, pkg: string): string | undefined {
  const folder = folderOf(from);
  if (folder === 'domain') {
    return PURE_PACKAGES.includes(pkg) ? undefined : `${from} imports package ${pkg}: domain/ is pure`;
  }
  if (pkg.startsWith('node:') || !(HARDWARE.includes(pkg) || isNative(pkg))) return undefined;
  const home = NATIVE_HOME[pkg] ?? 'devices';
  return folder === home ? undefined : `${from} imports ${pkg}: only ${home}/ may`;
}

/** Every cycle in a graph of file → the files it imports, as `a → b → a`. */
function cyclesIn(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    if (path.includes(file)) cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
    if (path.includes(file) || done.has(file)) return;
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
}

/** Files lying directly in `dir` rather than in one of its folders. */
function looseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [] : [e.name]));
}

describe('architecture', () => {
  const files = sourceFiles(SRC);
  const specs = new Map(files.map((name) => [name, importsOf(name)]));
  const relativeSpecs = (name: string) => (specs.get(name) ?? []).filter((s) => s.startsWith('.'));
  const local = new Map(files.map((name) => [name, relativeSpecs(name).map((s) => resolveImport(name, s))]));
  const pairs = [...local].flatMap(([from, targets]) => targets.map((to) => [from, to] as const));

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(pairs.length).toBeGreaterThan(files.length);
  });

  it('keeps every import pointing inwards and surfaces apart (http/ is shared)', () => {
    expect(pairs.map(([from, to]) => wrongImport(from, to)).filter(Boolean)).toEqual([]);
  });

  it('keeps domain/ pure and native or hardware packages in devices/ (SQLite in store/)', () => {
    const wrong = [...specs].flatMap(([name, list]) =>
      list.filter((s) => !s.startsWith('.')).map((s) => wrongPackage(name, packageOf(s))),
    );
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  // Type-only imports count: erased at run time, they still tie two files into one to be understood.
  it('has no import cycles', () => {
    expect(cyclesIn(local)).toEqual([]);
  });

  it('keeps services/ in feature folders', () => {
    expect(looseFiles(join(SRC, 'services'))).toEqual([]);
  });

  it('keeps the MCP tools’ names out of services: a service speaks of fields, a surface of its calls', () => {
    const tool =
      /\b(?:get_shop_info|search_menu|get_menu_item|create_order|update_order|place_order|get_order_status|cancel_order)\b|tools\/call/;
    const wrong = files.filter(
      (name) => folderOf(name) === 'services' && tool.test(readFileSync(join(SRC, name), 'utf8')),
    );
    expect(wrong).toEqual([]);
  });

  it('has no export *, no default exports, no console outside the entry points', () => {
    const wrong: string[] = [];
    for (const name of files) {
      const text = readFileSync(join(SRC, name), 'utf8');
      if (/^export \*/m.test(text)) wrong.push(`${name}: export *`);
      if (/^export default/m.test(text)) wrong.push(`${name}: default export`);
      const entry = name === 'main.ts' || name === 'cli.ts';
      if (!entry && /\bconsole\.\w+\(/.test(text)) wrong.push(`${name}: console`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('architecture rules (each rule itself can fail)', () => {
  it('catches a wrong-way import', () => {
    expect(wrongImport('http/app.ts', 'store/database.ts')).toBeDefined();
    expect(wrongImport('services/orders/order-service.ts', 'store/database.ts')).toBeUndefined();
  });

  it('catches a surface importing another surface, but not http/', () => {
    expect(wrongImport('acp/acp-request.ts', 'mcp/mcp-route.ts')).toBeDefined();
    expect(wrongImport('admin/keys-routes.tsx', 'auth/csrf.ts')).toBeDefined();
    expect(wrongImport('acp/acp-request.ts', 'http/error-response.ts')).toBeUndefined();
  });

  it('catches native and hardware packages outside their home', () => {
    expect(isNative('better-sqlite3')).toBe(true);
    expect(isNative('hono')).toBe(false);
    expect(wrongPackage('services/audit/audit-writer-worker.ts', 'better-sqlite3')).toBeDefined();
    expect(wrongPackage('http/app.ts', 'onoff')).toBeDefined();
    expect(wrongPackage('store/database.ts', 'better-sqlite3')).toBeUndefined();
    expect(wrongPackage('devices/gpio-onoff.ts', 'onoff')).toBeUndefined();
    expect(wrongPackage('domain/order.ts', 'node:fs')).toBeDefined();
    expect(wrongPackage('domain/phone.ts', 'libphonenumber-js')).toBeUndefined();
  });

  it('catches an import cycle', () => {
    const graph = new Map(
      Object.entries({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] }),
    );
    expect(cyclesIn(graph)).toEqual(['a.ts → b.ts → c.ts → a.ts']);
    expect(cyclesIn(new Map([['a.ts', ['b.ts']]]))).toEqual([]);
  });

  it('catches a file loose in a folder of folders', () => {
    expect(looseFiles(SRC)).toContain('main.ts');
  });
});
