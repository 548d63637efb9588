import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { listBackups } from '../services/operations/backups.js';
import type { AdminModule } from './admin-shell.js';
import { type BackupsPageDeps, renderBackupsPage } from './backups-page.js';
import { mountPlaceRoutes } from './backups-places-routes.js';
import { size } from './backups-places-view.js';

/** The backups page: the nightly backups with downloads, "back up now", the places off the card, and how to restore. */
export function backupsModule(deps: BackupsPageDeps): AdminModule {
  return {
    nav: { id: 'backups', label: 'Backups', path: '/admin/backups' },
    mount(router, shell) {
      router.get('/backups', (c) => renderBackupsPage(c, shell, deps));
      router.post('/backups/run', async (c) => {
        try {
          const made = await deps.backups.run();
          const failed = made.copies.filter((copy) => copy.problem !== undefined).length;
          shell.ownerAction('backup.run', basename(made.file), {
            input: { bytes: made.bytes, copies: made.copies.length, failed },
          });
          const copies =
            made.copies.length === 0
              ? ''
              : failed === 0
                ? ` Copied off the card and verified (${made.copies.length}).`
                : ` ${failed} of ${made.copies.length} copies off the card failed: see below.`;
          shell.flash(
            c,
            failed === 0 ? 'ok' : 'error',
            `Backed up: ${basename(made.file)} (${size(made.bytes)}).${copies}`,
          );
        } catch {
          // The backup service logged why; the page shows its health line.
          shell.ownerAction('backup.run', undefined, { outcome: 'backup_failed' });
          shell.flash(c, 'error', 'The backup failed: see the status above and the log.');
        }
        return c.redirect('/admin/backups', 303);
      });
      router.get('/backups/files/:name', (c) => {
        // Only a file the list shows: the name never reaches the file system unchecked.
        const file = listBackups(deps.dir).find((f) => basename(f.file) === c.req.param('name'));
        if (file === undefined) return c.text('No such backup.', 404);
        c.header('Content-Type', 'application/vnd.sqlite3');
        c.header('Content-Disposition', `attachment; filename="${basename(file.file)}"`);
        c.header('Content-Length', String(file.bytes));
        return c.body(Readable.toWeb(createReadStream(file.file)) as ReadableStream<Uint8Array>);
      });
      mountPlaceRoutes(router, shell, deps);
    },
  };
}
