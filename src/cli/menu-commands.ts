import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { systemClock } from '../platform/clock.js';
import { createMenuImporter } from '../services/menu/menu-import.js';
import { createCatalogRepo } from '../store/catalog-repo.js';
import type { Store } from '../store/database.js';
import { createSettingsRepo } from '../store/settings-repo.js';
import type { CliIo } from './cli-io.js';
import { ownerAction, ownerAudit, withShop } from './shop-access.js';

/** Largest menu file accepted: a big menu is a few hundred KB. */
const MAX_MENU_FILE_BYTES = 20 * 1024 * 1024;

export async function runMenu(args: string[], config: Config, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' } },
    allowPositionals: true,
  });
  const [action, file] = positionals;
  const format = values.format ?? (action === 'export' ? 'csv' : 'auto');
  if (!['csv', 'json', 'auto'].includes(format) || (action === 'export' && format === 'auto')) {
    io.stderr.write('--format must be csv or json\n');
    return 2;
  }
  if (action === 'export') {
    const text = withShop(config, io, (store) => importerFor(store).exportMenu(format as 'csv' | 'json'));
    io.stdout.write(text);
    return 0;
  }
  if (action !== 'import' || file === undefined) {
    io.stderr.write(
      'Usage: counterpi menu import FILE [--format csv|json] | counterpi menu export [--format csv|json]\n',
    );
    return 2;
  }
  if (statSync(file).size > MAX_MENU_FILE_BYTES) {
    io.stderr.write(`${file} is larger than 20 MB; that is not a menu file.\n`);
    return 1;
  }
  const text = readFileSync(file, 'utf8');
  const counts = withShop(config, io, (store) =>
    store.transaction(() => {
      const imported = importerFor(store).importMenu(text, { format: format as 'csv' | 'json' | 'auto' });
      ownerAudit(store).record(ownerAction('menu.import', undefined, { file, format, ...imported }));
      return imported;
    }),
  );
  io.stderr.write(
    `Imported ${counts.items} items in ${counts.categories} categories with ${counts.groups} option groups.\n`,
  );
  return 0;
}

function importerFor(store: Store) {
  return createMenuImporter({
    catalog: createCatalogRepo({ store }),
    settings: createSettingsRepo({ store, clock: systemClock }),
  });
}
