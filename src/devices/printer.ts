/** What the last attempt found: the printer took a ticket, is away (off, unplugged, out of paper), or is misconfigured. */
export interface PrinterState {
  readonly status: 'online' | 'offline' | 'error';
  /** Said for the owner: "connection refused", "no confirmation within 10000 ms (paper out?)". */
  readonly reason: string;
}

/** One document on its way to the printer: the ESC/POS bytes and a readable rendering of them. */
export interface PrintOut {
  /** File-safe name, unique per attempt ("job-12-K7M2"); the simulated printer names its files after it. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly text: string;
}

/** The kitchen printer (DESIGN.md, devices): a real one over TCP or USB, or the simulated twin. */
export interface PrinterPort {
  /** Where tickets go, for logs and `/ready`: "tcp://10.0.0.20:9100", "usb:/dev/usb/lp0", "sim". */
  readonly target: string;
  /** Resolves once the printer has taken every byte; rejects with a PrinterError, after `timeoutMs` at most. */
  send(out: PrintOut, timeoutMs: number): Promise<void>;
  /** What the last send found; "online" before the first one. */
  state(): PrinterState;
}

/** Why a send failed, and whether part of the document may have reached the printer anyway. */
export class PrinterError extends Error {
  readonly status: 'offline' | 'error';
  /**
   * true once bytes left for the printer (a stalled socket, a reset mid-ticket): the printer may yet
   * print them, so the next attempt is headed REPRINT rather than risk a silent second ticket.
   */
  readonly maybePrinted: boolean;
  constructor(
    status: 'offline' | 'error',
    message: string,
    options: { maybePrinted: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'PrinterError';
    this.status = status;
    this.maybePrinted = options.maybePrinted;
  }
}

/** The state a port is in right after a send settled. */
export function stateAfter(error: PrinterError | undefined): PrinterState {
  if (error === undefined) return { status: 'online', reason: 'last ticket printed' };
  return { status: error.status, reason: error.message };
}

/** A node error's `code` ("ECONNREFUSED"), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
