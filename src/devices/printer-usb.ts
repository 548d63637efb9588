import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, PrinterError, type PrinterPort, type PrinterState, stateAfter } from './printer.js';

export interface UsbPrinterOptions {
  /** The usblp device file, "/dev/usb/lp0". */
  readonly device: string;
  /** Pause between two tries while the device takes no data. */
  readonly retryMs?: number;
}

const REASONS: Readonly<Record<string, readonly ['offline' | 'error', string]>> = {
  ENOENT: ['offline', 'device not found (printer unplugged or off?)'],
  ENODEV: ['offline', 'device gone (printer unplugged or off?)'],
  ENXIO: ['offline', 'device not ready (printer off?)'],
  EIO: ['offline', 'input/output error (printer off or out of paper?)'],
  ENOSPC: ['offline', 'out of paper'],
  EBUSY: ['offline', 'device busy (another program is printing?)'],
  EACCES: [
    'error',
    'permission denied: add the counterpi user to the lp group (Help, Kitchen printer: /admin/guide/kitchen#kitchen-printer)',
  ],
  EPERM: [
    'error',
    'permission denied: add the counterpi user to the lp group (Help, Kitchen printer: /admin/guide/kitchen#kitchen-printer)',
  ],
  EISDIR: ['error', 'PRINTER names a directory, not a device'],
};

function describe(error: unknown, wrote: boolean): PrinterError {
  const code = errorCode(error) ?? 'unknown';
  const [status, reason] = REASONS[code] ?? ['offline', `write failed (${code})`];
  return new PrinterError(status, reason, { maybePrinted: wrote, cause: error });
}

/**
 * A USB printer through the kernel's usblp device. The file is opened non-blocking, so a printer that
 * takes no data (out of paper, cover open) makes each write answer EAGAIN instead of holding one of
 * Node's few I/O threads until the paper comes back; the document is then a timeout.
 */
export function createUsbPrinter(options: UsbPrinterOptions): PrinterPort {
  const retryMs = options.retryMs ?? 25;
  let current: PrinterState = { status: 'online', reason: 'no ticket sent yet' };

  async function writeAll(file: FileHandle, bytes: Uint8Array, deadline: number): Promise<boolean> {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
        continue;
      } catch (error) {
        if (errorCode(error) !== 'EAGAIN') throw describe(error, offset > 0);
      }
      if (performance.now() >= deadline) return false;
      await sleep(retryMs);
    }
    return true;
  }

  async function sendOnce(bytes: Uint8Array, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let file: FileHandle;
    try {
      file = await open(options.device, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (error) {
      throw describe(error, false);
    }
    try {
      if (!(await writeAll(file, bytes, deadline))) {
        throw new PrinterError(
          'offline',
          `the printer took no data for ${timeoutMs} ms (paper out, cover open, busy?)`,
          { maybePrinted: true },
        );
      }
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  return {
    target: `usb:${options.device}`,
    async send(out, timeoutMs) {
      try {
        await sendOnce(out.bytes, timeoutMs);
        current = stateAfter(undefined);
      } catch (error) {
        const failure = error instanceof PrinterError ? error : describe(error, true);
        current = stateAfter(failure);
        throw failure;
      }
    },
    state: () => current,
  };
}
