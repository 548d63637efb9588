import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { clientAddress } from '../http/rate-limit.js';
import { requestHeaders } from '../http/request-headers.js';

/** The sender's address: the tunnel's client header from a loopback peer, else the socket's peer. */
export function addressOf(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return clientAddress(incoming?.socket.remoteAddress, requestHeaders(c));
}

const PRIVATE_V4: readonly (readonly [number, number, number])[] = [
  // [first octet, second octet low, second octet high]
  [127, 0, 255],
  [10, 0, 255],
  [172, 16, 31],
  [192, 168, 168],
  [169, 254, 254],
];

/**
 * True for an address on this machine or the shop's own network (loopback, RFC 1918, link-local, IPv6
 * unique-local): where the first owner password may be set without one. Through the tunnel the address
 * is the visitor's public one, so nobody on the internet can claim a fresh counterpi.
 */
export function isLocalAddress(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) {
    const [a, b] = plain.split('.').map(Number);
    return PRIVATE_V4.some(([first, low, high]) => a === first && (b ?? -1) >= low && (b ?? -1) <= high);
  }
  if (isIP(plain) !== 6) return false;
  const lower = plain.toLowerCase();
  return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/**
 * Whether the browser reached us over HTTPS: PUBLIC_URL is https and the request names its host (the
 * tunnel keeps the public Host). On the shop's network (`http://counterpi.local`) it is plain HTTP, where
 * a Secure cookie would never come back, so the owner could not log in there.
 */
export function isPublicHttps(c: Context, publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return url.protocol === 'https:' && requestHeaders(c)('host')?.toLowerCase() === url.host;
}
