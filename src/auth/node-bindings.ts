import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { AppError } from '../domain/app-error.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Node's request and response under @hono/node-server; the provider is a Koa app and needs them. */
export function nodeBindings(c: Context): { incoming: IncomingMessage; outgoing: ServerResponse } {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  if (env?.incoming === undefined || env.outgoing === undefined) {
    throw new AppError('internal', 'The authorization server needs @hono/node-server.');
  }
  return { incoming: env.incoming, outgoing: env.outgoing };
}

/**
 * Makes the provider see PUBLIC_URL as the only origin, whatever Host or X-Forwarded-* a client sent,
 * and a client address taken from X-Forwarded-For only when the peer is a loopback tunnel.
 */
export function pinForwarding(req: IncomingMessage, publicUrl: URL): void {
  const peer = req.socket.remoteAddress ?? '';
  const xff = req.headers['x-forwarded-for'];
  const last = (Array.isArray(xff) ? xff.join(',') : xff)?.split(',').at(-1)?.trim();
  req.headers.host = publicUrl.host;
  req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
  req.headers['x-forwarded-for'] = LOOPBACK.has(peer) && last ? last : peer;
  delete req.headers['x-forwarded-host'];
  delete req.headers['x-forwarded-port'];
  delete req.headers.forwarded;
}
