import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseFile } from '../src/main.js';
import { createMenuImporter } from '../src/services/menu/menu-import.js';
import { createCatalogRepo } from '../src/store/catalog-repo.js';
import { openStore } from '../src/store/database.js';
import { createSettingsRepo } from '../src/store/settings-repo.js';
import { ACP_VERSION, acpSchemaErrors } from './helpers/acp-schemas.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tempDir = tempDirs();

interface Product {
  id: string;
  title: string;
  variants: {
    id: string;
    price: { amount: number };
    availability: { available: boolean; status?: string };
  }[];
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const get = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, init);

async function products(): Promise<Product[]> {
  const res = await get('/feeds/menu/products');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { products: Product[] };
  expect(acpSchemaErrors('feed', 'ProductsResponse', body)).toEqual([]);
  return body.products;
}

function variantOf(list: readonly Product[], id: string) {
  const variant = list.find((p) => p.id === id)?.variants[0];
  if (variant === undefined) throw new Error(`no product ${id} in the feed`);
  return variant;
}

/** Changes the menu from a second connection, as `counterpi menu import` does while the shop serves. */
function editMenu(change: (menu: { items: Record<string, unknown>[] }) => void): void {
  const store = openStore({ file: databaseFile(t.dataDir) });
  try {
    const importer = createMenuImporter({
      catalog: createCatalogRepo({ store }),
      settings: createSettingsRepo({ store, clock: t.clock }),
    });
    const menu = JSON.parse(importer.exportMenu('json')) as { items: Record<string, unknown>[] };
    change(menu);
    importer.importMenu(JSON.stringify(menu), { format: 'json' });
  } finally {
    store.close();
  }
}

describe('ACP discovery', () => {
  it('serves /.well-known/acp.json without auth, valid, cacheable for an hour, to any origin', async () => {
    const res = await get('/.well-known/acp.json', { headers: { origin: 'https://agent.example.net' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as Record<string, unknown>;
    expect(acpSchemaErrors('checkout', 'DiscoveryResponse', body)).toEqual([]);
    expect(body).toEqual({
      protocol: { name: 'acp', version: ACP_VERSION, supported_versions: [ACP_VERSION] },
      api_base_url: PUBLIC_URL,
      transports: ['rest', 'mcp'],
      capabilities: {
        // `orders` ("post-purchase order lifecycle management", discovery RFC services enum) is the
        // signed order webhooks of openapi.agentic_checkout_webhook.yaml, which the shop sends.
        services: ['checkout', 'orders', 'carts', 'delegate_payment'],
        // Supported; each session declares the ones active for it in capabilities.extensions.
        extensions: [{ name: 'discount' }, { name: 'affiliate_attribution' }],
        supported_currencies: ['usd'],
        supported_locales: ['en-US'],
      },
    });
  });

  it('answers a browser preflight and HEAD', async () => {
    const preflight = await get('/.well-known/acp.json', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://agent.example.net',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'api-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('api-version');
    const head = await get('/.well-known/acp.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});

describe('ACP product feed', () => {
  it('serves the feed metadata', async () => {
    const res = await get('/feeds/menu');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(acpSchemaErrors('feed', 'FeedMetadata', body)).toEqual([]);
    expect(body).toMatchObject({ id: 'menu', target_country: 'US' });
    expect(Date.parse(String(body.updated_at))).not.toBeNaN();
  });

  it('lists every menu item as a valid product whose variant id checkout accepts', async () => {
    const list = await products();
    expect(list.length).toBe(34);
    for (const product of list) {
      expect(acpSchemaErrors('feed', 'Product', product), product.id).toEqual([]);
      expect(product.variants.map((v) => v.id)).toEqual([product.id]);
    }
    expect(variantOf(list, 'cheeseburger')).toMatchObject({
      price: { amount: 1095, currency: 'USD' },
      availability: { available: true, status: 'in_stock' },
    });
    // The demo's craft root beer ran out.
    expect(variantOf(list, 'craft-root-beer').availability).toEqual({
      available: false,
      status: 'out_of_stock',
    });
  });

  it('reflects a sold-out toggle and a menu import made while it serves', async () => {
    const before = (await (await get('/feeds/menu')).json()) as { updated_at: string };
    t.clock.advance(5 * 60_000);
    const store = openStore({ file: databaseFile(t.dataDir) });
    try {
      expect(createCatalogRepo({ store }).setItemSoldOut('fries', true)).toBe(true);
    } finally {
      store.close();
    }
    await vi.waitFor(
      async () => expect(variantOf(await products(), 'fries').availability.available).toBe(false),
      {
        timeout: 3000,
      },
    );
    expect(variantOf(await products(), 'fries').availability.status).toBe('out_of_stock');
    const after = (await (await get('/feeds/menu')).json()) as { updated_at: string };
    expect(Date.parse(after.updated_at) - Date.parse(before.updated_at)).toBe(5 * 60_000);

    editMenu((menu) => {
      menu.items = menu.items.filter((item) => item.id !== 'hamburger');
      const burger = menu.items.find((item) => item.id === 'cheeseburger');
      if (burger !== undefined) burger.price = 1150;
    });
    await vi.waitFor(async () => expect((await products()).length).toBe(33), { timeout: 3000 });
    const list = await products();
    expect(list.some((p) => p.id === 'hamburger')).toBe(false);
    expect(variantOf(list, 'cheeseburger').price.amount).toBe(1150);
  });

  it('answers an unknown feed id with 404 and the ACP error shape', async () => {
    for (const path of ['/feeds/nope', '/feeds/nope/products']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      const body = (await res.json()) as Record<string, unknown>;
      expect(acpSchemaErrors('feed', 'Error', body)).toEqual([]);
      expect(acpSchemaErrors('checkout', 'Error', body)).toEqual([]);
      expect(body).toMatchObject({ type: 'invalid_request', code: 'feed_not_found', param: 'id' });
    }
  });

  it('refuses to be written to: the menu is the owner’s', async () => {
    const res = await get('/feeds/menu/products', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ products: [] }),
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(acpSchemaErrors('feed', 'Error', await res.json())).toEqual([]);
  });
});

describe('counterpi feed export', () => {
  it('writes metadata.json and products.jsonl that validate and match the served feed', async () => {
    const dir = join(tempDir('counterpi-feed-'), 'out', 'feed');
    const result = await runCli(['feed', 'export', dir], { DATA_DIR: t.dataDir });
    const served = await products();
    expect(result.stderr).toContain(`Wrote ${served.length} products to ${join(dir, 'products.jsonl')}`);
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['metadata.json', 'products.jsonl']);
    const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    expect(acpSchemaErrors('feed', 'FeedMetadata', metadata)).toEqual([]);
    expect(metadata.id).toBe('menu');
    const text = readFileSync(join(dir, 'products.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    for (const line of lines) expect(acpSchemaErrors('feed', 'Product', JSON.parse(line)), line).toEqual([]);
    expect(lines.map((line) => JSON.parse(line) as Product)).toEqual(served);

    const again = await runCli(['feed', 'export', dir], { DATA_DIR: t.dataDir });
    expect(again.code).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it('refuses a directory holding other files unless --force, and writes nothing', async () => {
    const dir = tempDir('counterpi-feed-foreign-');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = await runCli(['feed', 'export', dir], { DATA_DIR: t.dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('holds other files (notes.txt)');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    const forced = await runCli(['feed', 'export', dir, '--force'], { DATA_DIR: t.dataDir });
    expect(forced.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['metadata.json', 'notes.txt', 'products.jsonl']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');

    const file = join(dir, 'notes.txt');
    const notADir = await runCli(['feed', 'export', file], { DATA_DIR: t.dataDir });
    expect(notADir.code).toBe(1);
    expect(notADir.stderr).toContain('is a file, not a directory');
    const usage = await runCli(['feed', 'export'], { DATA_DIR: t.dataDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: counterpi feed export DIR');
    rmSync(dir, { recursive: true });
  });
});
