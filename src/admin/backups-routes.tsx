import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Child } from 'hono/jsx';
import { type BackupFile, type Backups, listBackups } from '../services/operations/backups.js';
import type { AdminModule } from './admin-shell.js';
import { ActionButton } from './form-fields.js';
import { guideLink } from './guide-link.js';
import { localTimes } from './owner-status.js';

export interface BackupsPageDeps {
  readonly backups: Pick<Backups, 'run' | 'health'>;
  /** DATA_DIR/backups, where the nightly backups are. */
  readonly dir: string;
  /** An instant in the shop's time zone and locale. */
  readonly formatTime: (instant: Date) => string;
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function backupsBody(p: {
  readonly files: readonly BackupFile[];
  readonly status: { readonly ok: boolean; readonly detail: string };
  readonly time: (instant: Date) => string;
  readonly csrf: string;
}): Child {
  return (
    <>
      <section class="card">
        <p class={p.status.ok ? undefined : 'flash error'}>{localTimes(p.status.detail, p.time)}</p>
        <p>
          Every night at 03:30 counterpi backs up its database and keeps the newest seven. A backup holds the
          menu, orders, settings and keys: keep a copy somewhere safe and private.
        </p>
        <ActionButton action="/admin/backups/run" csrf={p.csrf} label="Back up now" kind="primary" />
      </section>
      <section class="card">
        <h2>Backups on this counterpi {guideLink('backups')}</h2>
        {p.files.length === 0 ? <p>No backup yet.</p> : null}
        <ul class="rows">
          {p.files.map((file) => {
            const name = basename(file.file);
            return (
              <li class="row">
                <span class="main">
                  <a href={`/admin/backups/files/${name}`} download>
                    {name}
                  </a>{' '}
                  <small>
                    {size(file.bytes)}, {p.time(file.at)}
                  </small>
                </span>
              </li>
            );
          })}
        </ul>
      </section>
      <section class="card">
        <h2>Restoring a backup {guideLink('restore')}</h2>
        <p>Restoring replaces everything since the backup. It is done on the Pi, with counterpi stopped:</p>
        <pre>
          {'sudo systemctl stop counterpi\nsudo counterpi restore FILE\nsudo systemctl start counterpi'}
        </pre>
        <p>
          <code>counterpi restore</code> without a file lists the backups. A damaged file is refused and
          nothing changes; the database it replaces is kept beside it.
        </p>
      </section>
    </>
  );
}

/** The backups page: the nightly backups with downloads, "back up now", and how to restore. */
export function backupsModule(deps: BackupsPageDeps): AdminModule {
  return {
    nav: { id: 'backups', label: 'Backups', path: '/admin/backups' },
    mount(router, shell) {
      router.get('/backups', (c) =>
        shell.render(c, {
          title: 'Backups',
          nav: 'backups',
          body: backupsBody({
            files: listBackups(deps.dir),
            status: deps.backups.health(),
            time: deps.formatTime,
            csrf: c.get('csrf'),
          }),
        }),
      );
      router.post('/backups/run', async (c) => {
        try {
          const made = await deps.backups.run();
          shell.ownerAction('backup.run', basename(made.file), { input: { bytes: made.bytes } });
          shell.flash(c, 'ok', `Backed up: ${basename(made.file)} (${size(made.bytes)}).`);
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
    },
  };
}
