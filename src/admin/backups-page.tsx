import { basename } from 'node:path';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { BackupPlaces } from '../services/operations/backup-places.js';
import { type BackupFile, type Backups, listBackups } from '../services/operations/backups.js';
import { readCopyLog } from '../services/operations/off-card-copies.js';
import type { AdminEnv, AdminShell } from './admin-shell.js';
import { CopyList, placesBody, type RemoteForm, size } from './backups-places-view.js';
import { ActionButton, type FieldErrors } from './form-fields.js';
import { guideLink } from './guide-link.js';
import { localTimes } from './owner-status.js';

export interface BackupsPageDeps {
  readonly backups: Pick<Backups, 'run' | 'health'>;
  /** DATA_DIR/backups, where the nightly backups are. */
  readonly dir: string;
  /** The places off the card the owner chooses here. */
  readonly places: Pick<
    BackupPlaces,
    'view' | 'pickDrive' | 'saveRemote' | 'removeRemote' | 'setPassphrase' | 'disableEncryption'
  >;
  /** An instant in the shop's time zone and locale. */
  readonly formatTime: (instant: Date) => string;
}

/** What a re-shown page keeps: the remote form's text, or the passphrase's problem. */
export interface BackupsPageState {
  readonly remote?: RemoteForm;
  readonly encryptionErrors?: FieldErrors;
  readonly status?: 200 | 422;
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
          nothing changes; the database it replaces is kept beside it. An encrypted copy (<code>.db.age</code>
          ) asks for the passphrase, and is refused without it.
        </p>
      </section>
    </>
  );
}

/** The whole page; `state` keeps what the owner typed when something must be fixed. */
export function renderBackupsPage(
  c: Context<AdminEnv>,
  shell: AdminShell,
  deps: BackupsPageDeps,
  state: BackupsPageState = {},
): Promise<Response> {
  const view = deps.places.view();
  const remote = state.remote ?? {
    config: '',
    folder: view.remote?.folder ?? 'counterpi',
    preset: 'b2',
    errors: {},
  };
  return shell.render(c, {
    title: 'Backups',
    nav: 'backups',
    status: state.status,
    body: (
      <>
        {backupsBody({
          files: listBackups(deps.dir),
          status: deps.backups.health(),
          time: deps.formatTime,
          csrf: c.get('csrf'),
        })}
        <CopyList copies={readCopyLog(deps.dir).slice(0, 10)} time={deps.formatTime} />
        {placesBody({ view, csrf: c.get('csrf'), remote, encryptionErrors: state.encryptionErrors ?? {} })}
      </>
    ),
  });
}
