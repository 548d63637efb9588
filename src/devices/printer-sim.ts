import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode, PrinterError, type PrinterPort, type PrinterState, stateAfter } from './printer.js';

// Said on the public /ready: where the files are, without the machine's own path.
const SIM_REASON = 'simulated, tickets go to DATA_DIR/tickets';

/**
 * The simulated printer (demo mode, and `PRINTER=sim`): every document becomes `<dir>/<name>.bin`,
 * the exact bytes a real printer would get, and `<dir>/<name>.txt`, a readable rendering of them.
 */
export function createSimPrinter(options: { readonly dir: string }): PrinterPort {
  let current: PrinterState = { status: 'online', reason: SIM_REASON };
  return {
    target: 'sim',
    async send(out) {
      try {
        await mkdir(options.dir, { recursive: true });
        await writeFile(join(options.dir, `${out.name}.bin`), out.bytes);
        await writeFile(join(options.dir, `${out.name}.txt`), out.text);
        current = { status: 'online', reason: SIM_REASON };
      } catch (error) {
        const failure = new PrinterError(
          'error',
          `cannot write simulated tickets (${errorCode(error) ?? 'unknown error'})`,
          {
            maybePrinted: false,
            cause: error,
          },
        );
        current = stateAfter(failure);
        throw failure;
      }
    },
    state: () => current,
  };
}
