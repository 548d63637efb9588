import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DecryptRefusal, decryptWithPassphrase, SEALED_KEY_FILE } from './backup-encryption.js';
import { type RestoreDeps, type RestoreResult, restoreDatabase } from './restore.js';

const AGE_MAGIC = ['age-encryption.org/v1\n', '-----BEGIN AGE ENCRYPTED FILE-----'];

/** Whether `file` is an age file (a copy encrypted off the card) rather than a database. */
export function isEncryptedBackup(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(40);
    const read = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, read).toString('latin1');
    return AGE_MAGIC.some((magic) => text.startsWith(magic));
  } finally {
    closeSync(fd);
  }
}

function refusal(source: string, reason: DecryptRefusal, keyFile: string): RestoreResult {
  const messages: Record<DecryptRefusal, string> = {
    passphrase_needed: `${source} is encrypted: restoring it needs the backup passphrase set on the Backups page (--passphrase-file FILE).`,
    key_not_found: `${source} is encrypted, and its key (${SEALED_KEY_FILE}) is neither beside it nor in the data directory: copy it from the USB stick or remote next to the backup.`,
    wrong_passphrase: `The passphrase does not open ${keyFile}: ${source} stays encrypted. Check it (capitals, spaces) and try again.`,
    damaged: `${source} could not be decrypted: it is damaged or was made with another key; try an older copy.`,
    age_missing: `${source} is encrypted and the age program is not installed: sudo apt install age, then try again.`,
  };
  return { ok: false, reason, message: `${messages[reason]} Nothing was changed.` };
}

/**
 * Restores a backup that may be encrypted: an age file is decrypted with the owner's passphrase (the sealed
 * key is looked for beside it, then in the data directory) into a file beside the database, restored from
 * there as any backup is, and removed. Without the passphrase nothing changes.
 */
export async function restoreBackup(
  deps: RestoreDeps & { readonly dataDir: string },
  source: string,
  passphrase: string | undefined,
): Promise<RestoreResult> {
  if (!isEncryptedBackup(source)) return restoreDatabase(deps, source);
  const beside = join(dirname(source), SEALED_KEY_FILE);
  const keyFile = existsSync(beside) ? beside : join(deps.dataDir, SEALED_KEY_FILE);
  mkdirSync(dirname(deps.database), { recursive: true });
  const plain = `${deps.database}.decrypted`;
  rmSync(plain, { force: true });
  try {
    const refused = await decryptWithPassphrase(source, plain, keyFile, passphrase);
    if (refused !== undefined) return refusal(source, refused, keyFile);
    return restoreDatabase(deps, plain, source);
  } finally {
    rmSync(plain, { force: true });
  }
}
