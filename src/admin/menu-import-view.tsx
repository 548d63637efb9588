import type { Child, FC } from 'hono/jsx';
import type { Violation } from '../domain/app-error.js';
import { PostForm, sentence } from './form-fields.js';
import { guideLink } from './guide-link.js';

/** Where a problem is in the file: "row 14, column price", "row 3", "line 7" or the whole file. */
export function importPlace(path: string | undefined): { readonly row: string; readonly column: string } {
  const row = /^row (\d+)(?:, column (.+))?$/.exec(path ?? '');
  if (row !== null) return { row: row[1] ?? '', column: row[2] ?? '' };
  const line = /^line (\d+)$/.exec(path ?? '');
  if (line !== null) return { row: `line ${line[1] ?? ''}`, column: '' };
  // A JSON file's problems are at paths like items[3].price.
  return path === undefined || path === 'file' ? { row: '', column: '' } : { row: '', column: path };
}

/** A refused menu file: its name, why, and every problem by row and column. */
export const ImportProblems: FC<{ refused: RefusedImport }> = ({ refused }) => (
  <section class="card" role="alert">
    <h2>{refused.fileName === '' ? 'The file was refused' : `${refused.fileName} was refused`}</h2>
    <p>{refused.message}</p>
    <div class="scroll">
      <table class="problems">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {refused.violations.map((v) => {
            const place = importPlace(v.path);
            return (
              <tr>
                <td>{place.row}</td>
                <td>{place.column}</td>
                <td>{sentence(v.message)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
    {refused.notListed === 0 ? null : <p>{refused.notListed} more problems are not listed.</p>}
  </section>
);

/** A menu file the importer refused, as the pages show it. */
export interface RefusedImport {
  readonly fileName: string;
  readonly message: string;
  readonly violations: readonly Violation[];
  readonly notListed: number;
}

/** The import form, and after a refused file the table of its problems. */
export function importBody(p: { readonly csrf: string; readonly refused?: RefusedImport }): Child {
  const refused = p.refused;
  return (
    <>
      {refused === undefined ? null : <ImportProblems refused={refused} />}
      <PostForm action="/admin/menu/import" csrf={p.csrf} multipart class="card">
        <p>
          The file replaces the whole menu. It is checked first: if anything in it is wrong, nothing changes
          and every problem is listed with its row and column.
        </p>
        <p class="field">
          <label for="file">Menu file (CSV or JSON)</label>
          <input id="file" name="file" type="file" accept=".csv,.json,text/csv,application/json" required />
        </p>
        <p class="actions">
          <button type="submit" class="primary">
            Import
          </button>{' '}
          <a href="/admin/menu">Back to the menu</a>
        </p>
      </PostForm>
      <section class="card">
        <h2>The CSV file {guideLink('menuFiles')}</h2>
        <p>
          One row per thing, the first row names the columns. The easiest start is the current menu:{' '}
          <a href="/admin/menu/export.csv" download>
            download it as CSV
          </a>
          , change it in a spreadsheet, and import it here. Prices are written in the shop currency, like
          10.95; sold_out is yes or no; lists (dietary, allergens, groups) are separated by |.
        </p>
      </section>
    </>
  );
}
