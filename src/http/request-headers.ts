import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** Reads one request header by its lower-case name. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * Request headers straight from Node's parsed `incoming.headers` under @hono/node-server: asking the
 * web Request instead builds a Headers object for every request, a visible cost on the hot paths.
 * Names must be lower case. Repeated headers Node joins with ", " (set-cookie aside) as Headers does.
 */
export function requestHeaders(c: Context): HeaderReader {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined) return (name) => c.req.header(name);
  return nodeHeaderReader(incoming.headers);
}

/** The same reader over Node's parsed headers, for a handler that has no Hono context. */
export function nodeHeaderReader(headers: IncomingHttpHeaders): HeaderReader {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}

const BEARER = /^bearer +([\x21-\x7e]+)$/i;

/**
 * The credential of `Authorization: Bearer <credential>` (RFC 6750 §2.1), or undefined. The scheme is
 * matched in any case (RFC 7235 §2.1: `bearer`, `BEARER`); the credential is visible ASCII, as sent.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}
