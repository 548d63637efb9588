import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer } from 'node:net';
import { getRequestListener } from '@hono/node-server';

/** A listening HTTP server. */
export interface HttpServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080 (the real port when 0 was asked). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in progress finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/**
 * A Node handler that alone answers every request to one exact path (any query and one trailing slash
 * aside: clients append `/` to the URL they were given, and `/mcp/` must still answer), straight on
 * Node's response, before the Hono app: for an endpoint whose every microsecond counts (/mcp). It writes
 * the app's frame itself (src/http/request-frame.ts); the app never sees those requests.
 */
export type NodeHandler = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/** The request's path without its query, nor a trailing slash after a name (`/mcp/` is `/mcp`). */
function pathOf(url = ''): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Listens with @hono/node-server, with timeouts that keep slow clients from holding sockets open. */
export function startHttpServer(options: {
  readonly app: { fetch: (request: Request) => Response | Promise<Response> };
  readonly host: string;
  readonly port: number;
  /** Node handlers by the exact path they answer; every other request goes to the app. */
  readonly handlers?: Readonly<Record<string, NodeHandler>>;
}): Promise<HttpServer> {
  // What @hono/node-server's serve() does, with the handlers in front of its listener.
  const app = getRequestListener(options.app.fetch, { hostname: options.host });
  const handlers = new Map(Object.entries(options.handlers ?? {}));
  const shutdown = { closing: false };
  const server = createServer((incoming, outgoing) => {
    // Once stopping, every answer closes its connection: a kept-alive client is answered, then reconnects
    // (and is refused) instead of sending more on a connection the grace period would reset.
    if (shutdown.closing) outgoing.setHeader('connection', 'close');
    (handlers.get(pathOf(incoming.url)) ?? app)(incoming, outgoing);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const info = server.address() as AddressInfo;
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: (graceMs) => closeServer(server, shutdown, graceMs),
      });
    });
  });
}

/** How long a stopping server leaves idle kept-alive connections open for a request already on its way. */
const DRAIN_MS = 500;

/**
 * Stops accepting and answers what still arrives on open connections with `Connection: close`. Idle
 * kept-alive connections are closed only after DRAIN_MS: closing one at once (what http.Server's close
 * does) resets a request its client sent at that instant. At `graceMs` whatever is left is closed.
 */
function closeServer(server: Server, shutdown: { closing: boolean }, graceMs = 5_000): Promise<void> {
  shutdown.closing = true;
  return new Promise((resolve) => {
    const drain = setTimeout(() => server.closeIdleConnections(), Math.min(DRAIN_MS, graceMs / 2));
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    drain.unref();
    force.unref();
    // net.Server's close: stop listening, and call back once every connection has ended.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(drain);
      clearTimeout(force);
      resolve();
    });
  });
}
