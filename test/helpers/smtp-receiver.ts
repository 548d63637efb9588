import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One email as the server received it: the login used, the envelope, the raw message and its text. */
export interface ReceivedEmail {
  readonly user: string | undefined;
  readonly to: readonly string[];
  readonly raw: string;
  /** The body of a single-part text message, its transfer encoding (quoted-printable, base64) undone. */
  readonly text: string;
}

/** The body of a single-part message as text (RFC 2045 §6.7 quoted-printable, §6.8 base64). */
function bodyText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return body;
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A mail server on loopback for the shop's SMTP settings: plain SMTP (no TLS), AUTH checked against
 * `login`, every message kept; `next()` waits (bounded) for the next one.
 */
export async function startSmtpReceiver(login: { user: string; pass: string }) {
  const received: ReceivedEmail[] = [];
  let taken = 0;
  let wake = () => {};
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.pass)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const email = {
          user: typeof session.user === 'string' ? session.user : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: bodyText(raw),
        };
        received.push(email);
        wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    /** The next message not yet taken, waiting for it (bounded) when none is there. */
    async next(timeoutMs = 10_000): Promise<ReceivedEmail> {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= taken) {
        if (Date.now() > deadline) throw new Error('no email arrived');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      taken += 1;
      return received[taken - 1] as ReceivedEmail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
