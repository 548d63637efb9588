import { createServer } from 'node:net';

/** A raw-port (9100) network printer on loopback that remembers when each order's ticket ended. */
export interface CapturePrinter {
  readonly port: number;
  /**
   * When the last byte of each ticket arrived, by order id (the QR code of a full ticket names the
   * order page) and by order code (a station ticket's large heading).
   */
  readonly lastByteAt: ReadonlyMap<string, number>;
  /** Full tickets received: those whose QR code names an order. */
  tickets(): number;
  close(): Promise<void>;
}

/** Starts a capture printer on 127.0.0.1 at a free port: counterpi's `PRINTER=tcp://127.0.0.1:<port>`. */
export async function capturePrinter(): Promise<CapturePrinter> {
  const lastByteAt = new Map<string, number>();
  let tickets = 0;
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    let last = 0;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      last = performance.now();
    });
    socket.on('error', () => undefined);
    socket.once('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const orderId = /\/o\/(ord_\w+)/.exec(text)?.[1];
      if (orderId !== undefined) {
        lastByteAt.set(orderId, last);
        tickets += 1;
      }
      for (const code of text.match(/\b[A-Z0-9]{4,6}\b/g) ?? []) lastByteAt.set(code, last);
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    lastByteAt,
    tickets: () => tickets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
