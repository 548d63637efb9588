import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { AppError } from '../domain/app-error.js';

/** Largest request body any route accepts unless the app is told otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * The request body as text: straight from Node's stream when served by @hono/node-server (a web Request
 * costs more than a small JSON call it carries), else from the web Request. Counted as it arrives, so
 * a chunked body without Content-Length cannot grow past the limit either.
 */
export async function readBodyText(c: Context, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined) return c.req.text();
  if (incoming.readableEnded) return c.req.text();
  return readBodyStream(incoming, maxBytes);
}

/**
 * Plain stream events: a small JSON body costs a fraction of what an async iterator over it does. Past
 * `maxBytes` it stops reading and rejects with `payload_too_large`: the answer should close the connection.
 */
export function readBodyStream(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      done();
      incoming.pause();
      reject(new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`));
    };
    const onEnd = () => {
      done();
      resolve((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8'));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new AppError('invalid_input', 'The request was cut off before its body arrived.'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
