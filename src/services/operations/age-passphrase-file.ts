import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

/*
 * A small file (the backup identity) sealed with a passphrase in age's own format, v1 with one scrypt
 * recipient stanza (age-encryption.org/v1, C2SP age §"The scrypt recipient type", §"Header", §"Payload").
 * Why here and not `age -p`: the age CLI reads a passphrase only from a terminal, on purpose, and its
 * manual points scripts at native keys plus a passphrase-protected identity file (age(1), EXAMPLES
 * "Encrypt and decrypt with a passphrase-protected identity file"; age-plugin-batchpass(1), which
 * Debian's age 1.1 does not ship yet). counterpi's server has no terminal, so it writes that identity
 * file itself, byte for byte as `age-keygen | age -p` would, and the nightly copies use the real `age`
 * binary with the native key. The owner can open the sealed key with a plain `age -d`, without counterpi.
 */

const INTRO = 'age-encryption.org/v1';
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
/** age's own work factor for passphrases (2^18: about 256 MiB and a second on a Pi 4). */
const DEFAULT_LOG_N = 18;
/** age refuses larger factors when decrypting; so do we, so a crafted file cannot exhaust memory. */
const MAX_LOG_N = 22;
const CHUNK = 64 * 1024;

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
const unb64 = (text: string) => Buffer.from(text, 'base64');

function derive(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(passphrase, 'utf8'),
      Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]),
      32,
      { N, r: 8, p: 1, maxmem: 129 * 8 * N + 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

function seal(key: Buffer, nonce: Buffer, plain: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < 16) throw new Error('truncated');
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

/** A stanza body: base64 in 64-column lines, the last one always shorter (so 48 bytes end with an empty line). */
function wrapBody(bytes: Buffer): string {
  const text = b64(bytes);
  const lines: string[] = [];
  for (let at = 0; at <= text.length; at += 64) lines.push(text.slice(at, at + 64));
  return lines.join('\n');
}

const headerKey = (fileKey: Buffer) =>
  Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
const payloadKey = (fileKey: Buffer, nonce: Buffer) =>
  Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));

/** The STREAM nonce of chunk `index`: an 11-byte big-endian counter and a last-chunk flag. */
function chunkNonce(index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(index, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Seals `plain` with `passphrase` as an age file that `age -d` opens after asking for the passphrase. */
export async function sealWithPassphrase(
  plain: Buffer,
  passphrase: string,
  logN = DEFAULT_LOG_N,
): Promise<Buffer> {
  const fileKey = randomBytes(16);
  const salt = randomBytes(16);
  const body = seal(await derive(passphrase, salt, logN), Buffer.alloc(12), fileKey);
  const header = `${INTRO}\n-> scrypt ${b64(salt)} ${logN}\n${wrapBody(body)}\n---`;
  const mac = createHmac('sha256', headerKey(fileKey)).update(header).digest();
  const nonce = randomBytes(16);
  const key = payloadKey(fileKey, nonce);
  const chunks: Buffer[] = [];
  const count = Math.max(1, Math.ceil(plain.length / CHUNK));
  for (let i = 0; i < count; i += 1) {
    chunks.push(seal(key, chunkNonce(i, i === count - 1), plain.subarray(i * CHUNK, (i + 1) * CHUNK)));
  }
  return Buffer.concat([Buffer.from(`${header} ${b64(mac)}\n`), nonce, ...chunks]);
}

/** Why a sealed file did not open. */
export class SealedFileError extends Error {
  constructor(readonly reason: 'not_sealed' | 'wrong_passphrase' | 'damaged') {
    super(reason);
    this.name = 'SealedFileError';
  }
}

/** Opens a file sealed by `sealWithPassphrase` (or by `age -p`); throws SealedFileError. */
export async function openWithPassphrase(file: Buffer, passphrase: string): Promise<Buffer> {
  const end = file.indexOf('\n---');
  const macEnd = end < 0 ? -1 : file.indexOf('\n', end + 4);
  if (end < 0 || macEnd < 0) throw new SealedFileError('not_sealed');
  const header = file.subarray(0, end + 4).toString('latin1');
  const lines = header.split('\n');
  const stanza = /^-> scrypt ([A-Za-z0-9+/]{22}) (\d{1,2})$/.exec(lines[1] ?? '');
  if (lines[0] !== INTRO || stanza === null || lines.at(-1) !== '---')
    throw new SealedFileError('not_sealed');
  const logN = Number(stanza[2]);
  if (logN < 1 || logN > MAX_LOG_N) throw new SealedFileError('damaged');
  const body = unb64(lines.slice(2, -1).join(''));
  let fileKey: Buffer;
  try {
    fileKey = open(await derive(passphrase, unb64(stanza[1] ?? ''), logN), Buffer.alloc(12), body);
  } catch {
    throw new SealedFileError('wrong_passphrase');
  }
  const mac = unb64(file.subarray(end + 5, macEnd).toString('latin1'));
  const expected = createHmac('sha256', headerKey(fileKey)).update(header).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new SealedFileError('damaged');
  return openPayload(fileKey, file.subarray(macEnd + 1));
}

function openPayload(fileKey: Buffer, payload: Buffer): Buffer {
  if (payload.length < 16) throw new SealedFileError('damaged');
  const key = payloadKey(fileKey, payload.subarray(0, 16));
  const sealed = payload.subarray(16);
  const size = CHUNK + 16;
  const count = Math.max(1, Math.ceil(sealed.length / size));
  const plain: Buffer[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      plain.push(open(key, chunkNonce(i, i === count - 1), sealed.subarray(i * size, (i + 1) * size)));
    }
  } catch {
    throw new SealedFileError('damaged');
  }
  return Buffer.concat(plain);
}
