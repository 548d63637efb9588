import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { AppError } from '../domain/app-error.js';

/** Largest request body any route accepts unless the app is told otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * The request body as text: straight from Node's stream when served by @hono/node-server (a web
 * Request costs more than a small JSON call it carries), else from the web Request. Counted as it
 * arrives, so a chunked body without Content-Length cannot grow past the limit either.
 */
export async function readBodyText(c: Context, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined || incoming.readableEnded) return c.req.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      incoming.destroy();
      throw new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
