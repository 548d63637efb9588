import { AppError, type Violation } from '../../domain/app-error.js';
import type { Menu } from '../../domain/catalog.js';
import type { CatalogRepo } from '../../store/catalog-repo.js';
import type { SettingsRepo } from '../../store/settings-repo.js';
import { menuToCsv, parseMenuCsv, sortCsvViolations } from './menu-format-csv.js';
import { menuToJson, parseMenuJson } from './menu-format-json.js';
import { checkMenuRules } from './menu-rules.js';

/** The two menu file formats: one spreadsheet-friendly CSV file, or a JSON document. */
export type MenuFileFormat = 'csv' | 'json';

/** How to read a menu file. */
export interface ParseMenuOptions {
  /** `auto` reads JSON when the file starts with `{`, CSV otherwise. */
  readonly format: MenuFileFormat | 'auto';
  /** The shop currency: CSV prices are decimals in it, and a JSON file must be priced in it. */
  readonly currency: string;
  /** Ids of the shop's tax rates; a category may only name one of these. */
  readonly taxRateIds: readonly string[];
}

/** How many problems an import error lists; its message says how many more there were. */
export const MAX_LISTED_VIOLATIONS = 100;

/** Guesses the format of a menu file from its first character: `{` is JSON, anything else CSV. */
export function detectMenuFormat(text: string): MenuFileFormat {
  return /^\uFEFF?\s*\{/.test(text) ? 'json' : 'csv';
}

/**
 * Reads and checks a whole menu file. Throws AppError `menu_import_invalid` listing every problem found
 * (up to MAX_LISTED_VIOLATIONS), each with its place: "row 14, column price" or "items[3].price".
 */
export function parseMenuFile(text: string, options: ParseMenuOptions): Menu {
  const format = options.format === 'auto' ? detectMenuFormat(text) : options.format;
  const draft =
    format === 'json' ? parseMenuJson(text, options.currency) : parseMenuCsv(text, options.currency);
  const violations = [...draft.violations, ...checkMenuRules(draft, options)];
  if (violations.length === 0) return draft.menu;
  throw importError(format === 'csv' ? sortCsvViolations(violations) : violations);
}

function importError(violations: readonly Violation[]): AppError {
  const listed = violations.slice(0, MAX_LISTED_VIOLATIONS);
  const more = violations.length - listed.length;
  const count = violations.length === 1 ? 'a problem' : `${violations.length} problems`;
  const cap = more > 0 ? ` (the first ${listed.length} are listed, ${more} more are not)` : '';
  const first = listed[0];
  const firstText = first === undefined ? '' : ` First: ${first.path}: ${first.message}.`;
  const message = `The menu file has ${count}${cap}; nothing was changed.${firstText}`;
  return new AppError('menu_import_invalid', message, {
    violations: listed,
    details: { total: violations.length, notListed: more },
  });
}

/** What an import brought in. */
export interface MenuImportCounts {
  readonly items: number;
  readonly categories: number;
  readonly groups: number;
}

/** Imports and exports the whole menu as a file. */
export interface MenuImporter {
  /** Checks the whole file, then replaces the menu in one transaction; on any problem changes nothing. */
  importMenu(text: string, options: { readonly format: MenuFileFormat | 'auto' }): MenuImportCounts;
  /** The current menu as a file in `format`, priced in the shop currency; it imports back to the same menu. */
  exportMenu(format: MenuFileFormat): string;
}

/** What the importer needs: the catalog it replaces and the settings that give currency and tax rates. */
export interface MenuImporterDeps {
  readonly catalog: Pick<CatalogRepo, 'loadMenu' | 'replaceMenu'>;
  readonly settings: Pick<SettingsRepo, 'load'>;
}

/** Creates the menu importer over the catalog and the shop settings. */
export function createMenuImporter({ catalog, settings }: MenuImporterDeps): MenuImporter {
  const shop = (): { currency: string; taxRateIds: string[] } => {
    const loaded = settings.load();
    if (loaded === undefined) {
      throw new AppError(
        'invalid_input',
        'The shop is not set up yet: start counterpi once, then import the menu.',
      );
    }
    return { currency: loaded.profile.currency, taxRateIds: loaded.tax.rates.map((rate) => rate.id) };
  };
  return {
    importMenu(text, { format }) {
      const menu = parseMenuFile(text, { format, ...shop() });
      catalog.replaceMenu(menu);
      return {
        items: menu.items.length,
        categories: menu.categories.length,
        groups: menu.modifierGroups.length,
      };
    },
    exportMenu(format) {
      const { currency } = shop();
      const menu = catalog.loadMenu();
      return format === 'json' ? menuToJson(menu, currency) : menuToCsv(menu, currency);
    },
  };
}
