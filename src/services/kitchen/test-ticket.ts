import { toPrinterCharset } from '../../devices/printer-charset.js';
import { encodeEscPos, paperColumns } from '../../devices/printer-escpos.js';
import { printerLines } from '../../domain/printer-text.js';
import type { ShopSettings } from '../../domain/shop-settings.js';

/** The owner's test ticket: the shop's name, the time, and how many characters a line of this paper holds. */
export function testTicket(
  settings: ShopSettings,
  now: Date,
  formatTime: (instant: Date) => string,
): { bytes: Buffer; text: string } {
  const width = paperColumns(settings.printer.paperWidthMm);
  return encodeEscPos(
    {
      blocks: [
        { kind: 'lines', lines: ['TEST TICKET'], style: { align: 'center', bold: true, size: 2 } },
        {
          kind: 'lines',
          lines: printerLines(settings.profile.name, {
            width,
            maxLines: 2,
            maxChars: 80,
            fold: toPrinterCharset,
          }),
        },
        { kind: 'lines', lines: [formatTime(now), `${width} characters a line`] },
        { kind: 'rule' },
      ],
    },
    width,
  );
}
