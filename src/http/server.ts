import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';

/** A listening HTTP server. */
export interface HttpServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080 (the real port when 0 was asked). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in progress finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/** Listens with @hono/node-server, with timeouts that keep slow clients from holding sockets open. */
export function startHttpServer(options: {
  readonly app: { fetch: (request: Request) => Response | Promise<Response> };
  readonly host: string;
  readonly port: number;
}): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server: ServerType = serve(
      { fetch: options.app.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: (graceMs) => closeServer(server, graceMs),
        });
      },
    );
    if ('headersTimeout' in server) {
      server.headersTimeout = 10_000;
      server.requestTimeout = 30_000;
      server.keepAliveTimeout = 5_000;
    }
    server.once('error', reject);
  });
}

function closeServer(server: ServerType, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}
