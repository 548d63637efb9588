import { connect } from 'node:net';
import { errorCode, PrinterError, type PrinterPort, type PrinterState, stateAfter } from './printer.js';

export interface TcpPrinterOptions {
  readonly host: string;
  readonly port: number;
  /** Longest wait for the printer to accept the connection. */
  readonly connectTimeoutMs?: number;
}

/**
 * DLE EOT 1, "transmit printer status", sent after the document. A real-time command: the printer
 * answers as soon as it has read this far, even while busy or out of paper, so its answer says it has
 * taken every byte before it (ESC/POS, DLE EOT).
 */
export const STATUS_QUERY: Readonly<Buffer> = Buffer.from([0x10, 0x04, 0x01]);

/** The answer's fixed bits (bits 1 and 4 set, 0 and 7 clear) tell it from other status bytes (ASB). */
const isStatusAnswer = (byte: number) => (byte & 0x93) === 0x12;
/** Bit 3 of the answer: the printer is offline (cover open, paper out, an error). */
const OFFLINE_BIT = 0x08;

const OFFLINE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (printer off, or another port?)',
  EHOSTUNREACH: 'host unreachable (printer off or not on this network?)',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'the printer reset the connection',
  EPIPE: 'the printer closed the connection early',
};

function describe(error: unknown, wrote: boolean): PrinterError {
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new PrinterError('error', `printer host not found (${code}): check PRINTER`, {
      maybePrinted: false,
      cause: error,
    });
  }
  const known = code === undefined ? undefined : OFFLINE_CODES[code];
  const message =
    known ?? `connection failed (${code ?? (error instanceof Error ? error.message : 'unknown')})`;
  return new PrinterError('offline', message, { maybePrinted: wrote, cause: error });
}

function notTaken(timeoutMs: number): PrinterError {
  return new PrinterError(
    'offline',
    `connected, but the printer did not take the ticket within ${timeoutMs} ms (paper out, cover open, busy?)`,
    { maybePrinted: true },
  );
}

function early(wrote: boolean): PrinterError {
  return new PrinterError('offline', 'the printer closed the connection early', { maybePrinted: wrote });
}

/** How a send ended well: the printer's status answer, or its close of the connection. */
type Confirmation = { readonly status: number } | { readonly closed: true };

/**
 * A network printer on its raw port (9100). One connection per document: connect (with a timeout),
 * write the document and a status query, half-close, then wait for the printer to confirm it took
 * everything — its status answer, or its own close once it read to the end (CUPS's socket backend
 * waits for that close, `waiteof`). Many kitchen printers answer but keep the socket open, so the
 * answer alone suffices. A printer that accepts but never reads or answers is a timeout, never a success.
 */
export function createTcpPrinter(options: TcpPrinterOptions): PrinterPort {
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  let current: PrinterState = { status: 'online', reason: 'no ticket sent yet' };

  function sendOnce(bytes: Uint8Array, timeoutMs: number): Promise<Confirmation> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      const progress = { wrote: false, flushed: false, closedByPrinter: false, status: -1 };
      const connectMs = Math.min(connectTimeoutMs, timeoutMs);
      let timer = setTimeout(
        () =>
          finish(
            new PrinterError('offline', `no connection within ${connectMs} ms`, { maybePrinted: false }),
          ),
        connectMs,
      );
      function finish(outcome: PrinterError | Confirmation): void {
        clearTimeout(timer);
        socket.removeAllListeners();
        // Errors after the outcome (a late reset) have nowhere to go; without a listener they would throw.
        socket.on('error', () => undefined);
        socket.destroy();
        if (outcome instanceof PrinterError) reject(outcome);
        else resolve(outcome);
      }
      const answered = () => {
        if (progress.flushed && progress.status >= 0) finish({ status: progress.status });
      };
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        timer = setTimeout(() => finish(notTaken(timeoutMs)), timeoutMs);
        progress.wrote = true;
        socket.end(Buffer.concat([bytes, STATUS_QUERY]), () => {
          progress.flushed = true;
          answered();
        });
      });
      socket.on('data', (chunk: Buffer) => {
        const status = chunk.findLast(isStatusAnswer);
        if (status === undefined) return;
        progress.status = status;
        answered();
      });
      socket.once('end', () => {
        progress.closedByPrinter = true;
      });
      socket.once('error', (error) => finish(describe(error, progress.wrote)));
      // A close confirms on its own close event, so a reset right behind the printer's FIN still fails.
      socket.once('close', () =>
        finish(progress.flushed && progress.closedByPrinter ? { closed: true } : early(progress.wrote)),
      );
    });
  }

  return {
    target: `tcp://${options.host}:${options.port}`,
    async send(out, timeoutMs) {
      let confirmation: Confirmation;
      try {
        confirmation = await sendOnce(out.bytes, timeoutMs);
      } catch (error) {
        const failure = error instanceof PrinterError ? error : describe(error, true);
        current = stateAfter(failure);
        throw failure;
      }
      // Taken, but not printing yet: Epson printers keep the ticket and print it once the fault is cleared.
      const offline = 'status' in confirmation && (confirmation.status & OFFLINE_BIT) !== 0;
      current = offline
        ? { status: 'offline', reason: 'took the ticket, but says it is offline (cover open, paper out?)' }
        : stateAfter(undefined);
    },
    state: () => current,
  };
}
