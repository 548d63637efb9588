import type { Child, FC } from 'hono/jsx';
import { MIN_PASSPHRASE_LENGTH } from '../services/operations/backup-encryption.js';
import type { BackupPlacesView } from '../services/operations/backup-places.js';
import { COPY_PROBLEMS, type CopyRecord } from '../services/operations/off-card-copies.js';
import { RCLONE_PRESETS } from '../services/operations/rclone-remote.js';
import { ActionButton, Field, type FieldErrors, PostForm, Select, TextArea } from './form-fields.js';

/** A size the owner reads: KB under a megabyte, else MB with one decimal. */
export function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const PLACE = { usb: 'USB stick', remote: 'Remote' } as const;

/** The latest copies off the card: where, when, how big, and whether reading them back passed the check. */
export const CopyList: FC<{ copies: readonly CopyRecord[]; time: (instant: Date) => string }> = (p) => (
  <section class="card" id="copies">
    <h2>Copies off the card</h2>
    {p.copies.length === 0 ? <p>No copy has left the card yet.</p> : null}
    <ul class="rows">
      {p.copies.map((copy) => (
        <li class="row">
          <span class="main">
            <strong>{PLACE[copy.destination]}</strong> <code>{copy.where}</code>{' '}
            <small>
              {copy.bytes === undefined ? '' : `${size(copy.bytes)}, `}
              {p.time(new Date(copy.at))}
              {copy.encrypted ? ', encrypted' : ''}
            </small>{' '}
            <span class={copy.problem === undefined ? 'badge ok' : 'badge bad'}>
              {copy.problem === undefined ? 'verified' : `failed: ${COPY_PROBLEMS[copy.problem]}`}
            </span>
            {copy.detail === undefined ? null : <small class="hint"> {copy.detail}</small>}
          </span>
        </li>
      ))}
    </ul>
  </section>
);

const UsbCard: FC<{ view: BackupPlacesView; csrf: string }> = ({ view, csrf }) => (
  <section class="card" id="usb">
    <h2>USB stick</h2>
    {view.usb === undefined ? (
      <p>No USB stick is chosen.</p>
    ) : (
      <p>
        Each backup is copied to <code>{view.usb.path}</code>
        {view.usb.configured ? ' (set by BACKUP_USB_DIR).' : '.'}
      </p>
    )}
    {view.usb?.configured === true ? null : (
      <>
        {view.drives.length === 0 ? (
          <p>No removable drive is mounted. Plug a USB stick in; counterpi never formats or mounts one.</p>
        ) : null}
        <ul class="rows">
          {view.drives.map((drive) => (
            <li class="row">
              <span class="main">
                <code>{drive.mountPoint}</code> <small>({drive.fsType})</small>
              </span>
              <ActionButton
                action="/admin/backups/usb"
                csrf={csrf}
                label="Copy backups here"
                fields={{ mount: drive.mountPoint }}
              />
            </li>
          ))}
        </ul>
        {view.usb === undefined ? null : (
          <ActionButton
            action="/admin/backups/usb"
            csrf={csrf}
            label="Stop copying to the stick"
            fields={{ mount: '' }}
          />
        )}
      </>
    )}
  </section>
);

/** The remote form's values and problems, kept when the owner must fix something. */
export interface RemoteForm {
  readonly config: string;
  readonly folder: string;
  readonly preset: string;
  readonly errors: FieldErrors;
}

const RemoteCard: FC<{ view: BackupPlacesView; csrf: string; form: RemoteForm }> = ({ view, csrf, form }) => (
  <section class="card" id="remote">
    <h2>Remote (rclone)</h2>
    {view.remote === undefined ? (
      <p>No remote is set up.</p>
    ) : (
      <p>
        Each backup is copied to <code>{`${view.remote.name}:${view.remote.folder}`}</code> (
        {view.remote.type}).{' '}
        <ActionButton
          action="/admin/backups/remote/remove"
          csrf={csrf}
          label="Forget this remote"
          kind="danger"
        />
      </p>
    )}
    <PostForm action="/admin/backups/remote/preset" csrf={csrf}>
      <Select
        label="Start from"
        name="preset"
        value={form.preset}
        options={Object.entries(RCLONE_PRESETS).map(([value, preset]) => ({ value, label: preset.label }))}
        errors={{}}
      />
      <button type="submit" class="secondary">
        Fill in
      </button>
    </PostForm>
    <PostForm action="/admin/backups/remote" csrf={csrf}>
      <TextArea
        label="rclone configuration (one section)"
        name="config"
        value={form.config}
        errors={form.errors}
        hint="Paste what “rclone config show NAME” prints on your computer, or fill in a preset. It is kept on this counterpi only, readable by counterpi alone, and never shown again."
      />
      <Field label="Folder on the remote" name="folder" value={form.folder} errors={form.errors} />
      <button type="submit" class="primary">
        Save remote
      </button>
    </PostForm>
  </section>
);

const EncryptionCard: FC<{ view: BackupPlacesView; csrf: string; errors: FieldErrors }> = (p) => (
  <section class="card" id="encryption">
    <h2>Encryption</h2>
    <p>
      {p.view.encrypted
        ? 'Copies off the card are encrypted with age. Restoring one needs your passphrase: keep it somewhere safe, apart from the stick.'
        : 'Copies off the card are not encrypted: whoever holds the stick or the remote can read your orders and customers.'}
    </p>
    <PostForm action="/admin/backups/encryption" csrf={p.csrf}>
      <Field
        label={p.view.encrypted ? 'New passphrase' : 'Passphrase'}
        name="passphrase"
        type="password"
        value=""
        errors={p.errors}
        minlength={MIN_PASSPHRASE_LENGTH}
        autocomplete="new-password"
        hint={`At least ${MIN_PASSPHRASE_LENGTH} characters. Older copies keep opening with the passphrase they were made with.`}
      />
      <button type="submit" class="primary">
        {p.view.encrypted ? 'Change passphrase' : 'Encrypt copies'}
      </button>
    </PostForm>
    {p.view.encrypted ? (
      <ActionButton
        action="/admin/backups/encryption/off"
        csrf={p.csrf}
        label="Stop encrypting"
        kind="danger"
      />
    ) : null}
  </section>
);

/** The places off the card: a USB stick, a remote, and encryption. */
export function placesBody(p: {
  readonly view: BackupPlacesView;
  readonly csrf: string;
  readonly remote: RemoteForm;
  readonly encryptionErrors: FieldErrors;
}): Child {
  return (
    <>
      <UsbCard view={p.view} csrf={p.csrf} />
      <RemoteCard view={p.view} csrf={p.csrf} form={p.remote} />
      <EncryptionCard view={p.view} csrf={p.csrf} errors={p.encryptionErrors} />
    </>
  );
}
