import { isAppError } from '../domain/app-error.js';
import type { MenuImportCounts, MenuImporter } from '../services/menu/menu-import.js';
import type { RefusedImport } from './menu-import-view.js';

/** An uploaded menu file imported (the whole menu replaced), or refused with every problem and nothing changed. */
export type MenuImportOutcome =
  | { readonly ok: true; readonly counts: MenuImportCounts }
  | { readonly ok: false; readonly code: string; readonly refused: RefusedImport };

/** Imports a file from the Menu page or onboarding; any error other than a refused file is thrown on. */
export function runMenuImport(importer: MenuImporter, text: string, fileName: string): MenuImportOutcome {
  try {
    return { ok: true, counts: importer.importMenu(text, { format: 'auto' }) };
  } catch (error) {
    if (!isAppError(error, 'menu_import_invalid') && !isAppError(error, 'invalid_input')) throw error;
    const notListed = typeof error.details.notListed === 'number' ? error.details.notListed : 0;
    return {
      ok: false,
      code: error.code,
      refused: { fileName, message: error.message, violations: error.violations, notListed },
    };
  }
}

/** "34 items in 6 categories, 5 option groups". */
export function importedCounts(counts: MenuImportCounts): string {
  return `${counts.items} items in ${counts.categories} categories, ${counts.groups} option groups`;
}
