import { createServer, request, type Server } from 'node:http';

/**
 * A loopback front that forwards every request to `target` with `Authorization: Bearer <secret>`
 * added (replacing any sent), since the MCP conformance suite cannot send that header. Everything
 * else (Host, Origin, body, status, streams) passes through untouched, so the server still judges
 * the request as the suite sent it. Listens on 127.0.0.1 only.
 */
export function startBearerProxy(target: URL, secret: string, port: number): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, authorization: `Bearer ${secret}` },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
