import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { systemClock } from '../platform/clock.js';
import { createMenuCache } from '../services/menu/menu-cache.js';
import { createProductFeed, type FeedMetadata, type FeedProduct } from '../services/menu/product-feed.js';
import { createShopService } from '../services/shop/shop-service.js';
import { createCatalogRepo } from '../store/catalog-repo.js';
import type { Store } from '../store/database.js';
import { createSettingsRepo } from '../store/settings-repo.js';
import type { CliIo } from './cli-io.js';

import { withShop } from './shop-access.js';

const FEED_USAGE = 'Usage: counterpi feed export DIR [--force]\n';

/** An offline full replacement (ACP feeds RFC §3.4): FeedMetadata, and one Product per line. */
const FEED_FILES: readonly string[] = ['metadata.json', 'products.jsonl'];

export async function runFeed(args: string[], config: Config, io: CliIo): Promise<number> {
  let parsed: { values: { force?: boolean | undefined }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { force: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    io.stderr.write(`${error.message}\n${FEED_USAGE}`);
    return 2;
  }
  const [action, dir, ...extra] = parsed.positionals;
  if (action !== 'export' || dir === undefined || extra.length > 0) {
    io.stderr.write(FEED_USAGE);
    return 2;
  }
  const others = entriesBesidesFeed(dir);
  if (others === undefined || (others.length > 0 && parsed.values.force !== true)) {
    io.stderr.write(
      others === undefined
        ? `${dir} is a file, not a directory; nothing was written.\n`
        : `${dir} holds other files (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); ` +
            'nothing was written. Export into an empty or new directory, or add --force to write ' +
            'metadata.json and products.jsonl beside them.\n',
    );
    return 1;
  }
  const { metadata, products } = withShop(config, io, (store) => feedOf(store));
  mkdirSync(dir, { recursive: true });
  // Products first, metadata (with updated_at) last; each file appears whole or not at all.
  replaceFile(join(dir, 'products.jsonl'), products.map((p) => `${JSON.stringify(p)}\n`).join(''));
  replaceFile(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  io.stderr.write(
    `Wrote ${products.length} products to ${join(dir, 'products.jsonl')} and ${join(dir, 'metadata.json')}.\n`,
  );
  return 0;
}

function feedOf(store: Store): { metadata: FeedMetadata; products: readonly FeedProduct[] } {
  const shop = createShopService({
    settings: createSettingsRepo({ store, clock: systemClock }),
    clock: systemClock,
  });
  const menu = createMenuCache({ catalog: createCatalogRepo({ store }) });
  const feed = createProductFeed({ menu, shop, clock: systemClock });
  return { metadata: feed.metadata(), products: feed.products() };
}

/** What a directory holds besides an earlier export (none when it does not exist); undefined for a file. */
function entriesBesidesFeed(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).filter((name) => !FEED_FILES.some((f) => name === f || name === `${f}.partial`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function replaceFile(file: string, text: string): void {
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
}
