import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';

/** One message a push service received: where, with which headers, and the encrypted body. */
export interface PushedMessage {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/**
 * A push service on loopback (RFC 8030 §5): keeps every POST and answers 201 (or what `answer` says);
 * `next()` waits (bounded) for the next message.
 */
export async function startPushService() {
  const received: PushedMessage[] = [];
  let taken = 0;
  let wake = () => {};
  let status: (path: string) => number = () => 201;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const message = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(message);
      wake();
      res.statusCode = status(message.path);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    /** What the next messages are answered, by their path. */
    answer(next: (path: string) => number) {
      status = next;
    },
    /** The next message not yet taken, waiting for it (bounded) when none is there. */
    async next(timeoutMs = 10_000): Promise<PushedMessage> {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= taken) {
        if (Date.now() > deadline) throw new Error('no push message arrived');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      taken += 1;
      return received[taken - 1] as PushedMessage;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What a browser makes when it subscribes (Push API §3.4): a P-256 key pair and a 16-byte auth secret;
 * `toJSON()` is what PushSubscription.toJSON() gives, with an endpoint at `endpoint`.
 */
export function browserSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    publicKey,
    auth,
    toJSON: () => ({
      endpoint,
      expirationTime: null,
      keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
    }),
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** Decrypts an aes128gcm message for the subscriber (RFC 8291 §3.4, RFC 8188 §2), as the browser does. */
export function decryptPush(body: Buffer, subscriber: ReturnType<typeof browserSubscription>): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const serverKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = subscriber.ecdh.computeSecret(serverKey);
  // RFC 8291 §3.3: the auth secret and both public keys go into the input keying material.
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), subscriber.publicKey, serverKey]);
  const ikm = hmac(hmac(subscriber.auth, shared), Buffer.concat([info, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // RFC 8188 §2: the last record ends with a 0x02 delimiter, then zero padding.
  const end = padded.lastIndexOf(2);
  return padded.subarray(0, end).toString('utf8');
}

/**
 * Checks the VAPID Authorization header (RFC 8292 §2–3): `vapid t=<ES256 JWT>, k=<public key>`, the key
 * the shop's, the JWT signed by it, for this push service's origin, expiring within 24 hours.
 */
export async function verifyVapid(authorization: string, publicKey: string, audience: string) {
  const t = /t=([^,\s]+)/.exec(authorization)?.[1] ?? '';
  const k = /k=([^,\s]+)/.exec(authorization)?.[1] ?? '';
  if (!authorization.startsWith('vapid ') || k !== publicKey) throw new Error('not the shop’s VAPID key');
  const point = Buffer.from(k, 'base64url');
  const key = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    'ES256',
  );
  const { payload } = await jwtVerify(t, key, { audience, algorithms: ['ES256'] });
  const hours = ((payload.exp ?? 0) * 1000 - Date.now()) / 3_600_000;
  if (hours <= 0 || hours > 24) throw new Error(`VAPID JWT expires in ${hours} hours`);
  return { header: decodeProtectedHeader(t), payload };
}
