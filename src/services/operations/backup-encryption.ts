import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWithPassphrase, SealedFileError, sealWithPassphrase } from './age-passphrase-file.js';
import { runTool, ToolError } from './run-tool.js';

/*
 * Off-card copies are encrypted with age to a native X25519 key that counterpi generates (age-keygen).
 * The key is kept twice: in the data directory as is (0600), so nightly runs encrypt and verify without
 * anyone typing anything — whoever holds the card holds the plain database anyway — and sealed with the
 * owner's passphrase beside every copy, so a stolen stick or remote account opens nothing, while the
 * owner, with the stick and the passphrase, can restore on a new card (or with plain `age -d`).
 */

/** The plain identity, on the card only. */
export const IDENTITY_FILE = 'backup-identity.txt';
/** The identity sealed with the owner's passphrase; copied beside the backups on every destination. */
export const SEALED_KEY_FILE = 'counterpi-backup-key.age';
/** Shortest passphrase accepted: it guards every copy that leaves the shop. */
export const MIN_PASSPHRASE_LENGTH = 12;

const AGE_TIMEOUT_MS = 10 * 60_000;

/** The data directory's key files. */
export interface BackupKeys {
  /** Whether copies are encrypted: both key files exist. */
  enabled(): boolean;
  /** Creates the key (or keeps the existing one) and seals it with `passphrase`; returns the public recipient. */
  setPassphrase(passphrase: string): Promise<string>;
  /** Stops encrypting new copies; the sealed key stays, older encrypted copies still need it. */
  disable(): void;
  /** Encrypts `input` into `output` (age, to the identity's own recipient). */
  encrypt(input: string, output: string, signal?: AbortSignal): Promise<void>;
  /** Decrypts `input` into `output` with the identity on the card (to verify a copy). */
  decrypt(input: string, output: string, signal?: AbortSignal): Promise<void>;
  /** The sealed key file, to copy beside the backups. */
  readonly sealedKey: string;
}

/**
 * The backup key of the data directory `dataDir`. `workFactor` is scrypt's log2 N for the sealed key:
 * age's own 18 unless a test that seals often asks less (a restore reads it from the file).
 */
export function createBackupKeys(
  dataDir: string,
  options: { readonly workFactor?: number } = {},
): BackupKeys {
  const identity = join(dataDir, IDENTITY_FILE);
  const sealedKey = join(dataDir, SEALED_KEY_FILE);
  const off = join(dataDir, `${SEALED_KEY_FILE}.off`);
  return {
    sealedKey,
    enabled: () => existsSync(identity) && existsSync(sealedKey),
    async setPassphrase(passphrase) {
      if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
        throw new RangeError(`the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long`);
      }
      if (!existsSync(identity)) {
        // age-keygen refuses to overwrite: a half-made key left by a crash goes first.
        rmSync(`${identity}.new`, { force: true });
        await runTool('age-keygen', ['-o', `${identity}.new`], { timeoutMs: 30_000 });
        chmodSync(`${identity}.new`, 0o600);
        renameSync(`${identity}.new`, identity);
      }
      const sealed = await sealWithPassphrase(readFileSync(identity), passphrase, options.workFactor);
      writeFileSync(`${sealedKey}.new`, sealed, { mode: 0o600 });
      renameSync(`${sealedKey}.new`, sealedKey);
      rmSync(off, { force: true });
      return (await runTool('age-keygen', ['-y', identity], { timeoutMs: 30_000 })).trim();
    },
    disable() {
      // Kept under another name: turning encryption back on with a new passphrase keeps the same key.
      if (existsSync(sealedKey)) renameSync(sealedKey, off);
    },
    async encrypt(input, output, signal) {
      await runTool('age', ['-e', '-i', identity, '-o', output, input], {
        timeoutMs: AGE_TIMEOUT_MS,
        signal,
      });
    },
    async decrypt(input, output, signal) {
      await runTool('age', ['-d', '-i', identity, '-o', output, input], {
        timeoutMs: AGE_TIMEOUT_MS,
        signal,
      });
    },
  };
}

/** Why an encrypted backup could not be decrypted for a restore. */
export type DecryptRefusal =
  | 'passphrase_needed'
  | 'key_not_found'
  | 'wrong_passphrase'
  | 'damaged'
  | 'age_missing';

/**
 * Decrypts an encrypted backup with the owner's passphrase: the sealed key is opened here, then handed to
 * `age -d -i -` on its standard input (age(1): an identity PATH of "-" reads it from standard input), so
 * the plain key never touches a disk.
 */
export async function decryptWithPassphrase(
  input: string,
  output: string,
  sealedKey: string,
  passphrase: string | undefined,
): Promise<DecryptRefusal | undefined> {
  if (passphrase === undefined || passphrase === '') return 'passphrase_needed';
  if (!existsSync(sealedKey)) return 'key_not_found';
  let identity: string;
  try {
    identity = (await openWithPassphrase(readFileSync(sealedKey), passphrase)).toString('utf8');
  } catch (error) {
    if (error instanceof SealedFileError)
      return error.reason === 'wrong_passphrase' ? 'wrong_passphrase' : 'damaged';
    throw error;
  }
  try {
    await runTool('age', ['-d', '-i', '-', '-o', output, input], {
      input: identity,
      timeoutMs: AGE_TIMEOUT_MS,
    });
    return undefined;
  } catch (error) {
    if (error instanceof ToolError) return error.reason === 'missing' ? 'age_missing' : 'damaged';
    throw error;
  }
}
