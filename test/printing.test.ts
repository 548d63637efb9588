import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PrinterError, type PrinterPort } from '../src/devices/printer.js';
import { encodeEscPos, paperColumns } from '../src/devices/printer-escpos.js';
import { createSimPrinter } from '../src/devices/printer-sim.js';
import { createTcpPrinter } from '../src/devices/printer-tcp.js';
import { createUsbPrinter } from '../src/devices/printer-usb.js';
import { indexMenu } from '../src/domain/menu-index.js';
import type { Order } from '../src/domain/order.js';
import type { PricedLine } from '../src/domain/pricing.js';
import { createShopCalendar } from '../src/domain/shop-calendar.js';
import type { ShopSettings } from '../src/domain/shop-settings.js';
import { type TicketInput, ticketDocument } from '../src/services/kitchen/ticket.js';
import { demoMenu, demoSettings } from '../src/services/shop/demo-shop.js';
import { printedLines, renderTokens, type Token, tokenize, unknownTokens } from './escpos.js';
import { type CaptureMode, capturePrinter, until } from './fixtures/capture-printer.js';

const ORDER_URL = 'https://burgers.example.com/o/ord_3kq7x2m9c4v8b1n5';
const MENU = indexMenu(demoMenu());

function line(
  name: string,
  quantity: number,
  options: string[],
  note?: string,
  itemId = 'cheeseburger',
): PricedLine {
  return {
    itemId,
    name,
    quantity,
    options: options.map((o, i) => ({ id: `o${i}`, name: o, price: 0 })),
    note,
    taxRateId: 'food',
    unitPrice: 1095,
    lineTotal: 1095 * quantity,
  };
}

/** A paid order as the kitchen sees it: two lines with options and a note, paid at pickup. */
function sampleOrder(lines: PricedLine[], changes: Partial<Order> = {}): Order {
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  return {
    id: 'ord_3kq7x2m9c4v8b1n5',
    code: 'K7M2',
    customerId: 'cus_1',
    state: 'paid',
    lines: [],
    nextLine: 1,
    pickup: 'asap',
    pickupSlot: new Date('2026-11-24T17:30:00Z'),
    fulfillment: { type: 'pickup' },
    customerName: 'Zoë Ünal-Smith',
    customerPhone: '+15555550123',
    tip: { kind: 'none' },
    currency: 'USD',
    priced: {
      currency: 'USD',
      lines,
      totals: {
        itemsBase: subtotal,
        subtotal,
        tax: 291,
        taxBreakdown: [{ rateId: 'food', name: 'Sales tax', percent: 8.875, amount: 291 }],
        taxIncluded: false,
        fee: 0,
        tip: 150,
        total: subtotal + 291 + 150,
      },
    },
    createdAt: new Date('2026-11-24T17:05:00Z'),
    updatedAt: new Date('2026-11-24T17:06:00Z'),
    placedAt: new Date('2026-11-24T17:05:30Z'),
    payment: { method: 'pay_at_pickup' },
    version: 4,
    ...changes,
  };
}

const GOLDEN_LINES = [
  line('Cheeseburger', 2, ['Medium', 'Bacon', 'No onions'], 'extra crispy — merci! 🍔'),
  line('Fries', 1, [], undefined, 'fries'),
];

function input(order: Order, options: Partial<TicketInput> = {}, settings = demoSettings()): TicketInput {
  const calendar = createShopCalendar(settings.hours);
  return {
    order,
    kind: 'ticket',
    reprint: false,
    settings,
    menu: MENU,
    orderUrl: ORDER_URL,
    formatTime: (instant) => calendar.formatLocal(instant, settings.profile.locale),
    ...options,
  };
}

function encode(ticket: TicketInput, paper: 58 | 80 = 80) {
  return encodeEscPos(ticketDocument(ticket, paperColumns(paper)), paperColumns(paper));
}

function expectGolden(name: string, rendered: string): void {
  const file = new URL(`./fixtures/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, rendered);
  expect(rendered).toBe(readFileSync(file, 'utf8'));
}

const printers: ReturnType<typeof capturePrinter>[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const printer of printers.splice(0)) await printer.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function listening(mode: CaptureMode = 'print') {
  const printer = capturePrinter();
  printers.push(printer);
  printer.setMode(mode);
  const port = await printer.listen(0);
  return { printer, port, tcp: createTcpPrinter({ host: '127.0.0.1', port, connectTimeoutMs: 500 }) };
}

async function sendFailure(port: PrinterPort, bytes: Uint8Array, timeoutMs: number): Promise<PrinterError> {
  try {
    await port.send({ name: 'x', bytes, text: '' }, timeoutMs);
  } catch (error) {
    if (error instanceof PrinterError) return error;
    throw error;
  }
  throw new Error('the send did not fail');
}

describe('a ticket on the wire', () => {
  it('reaches a network printer byte for byte and decodes to the kitchen ticket', async () => {
    const { printer, tcp } = await listening();
    const { bytes } = encode(input(sampleOrder(GOLDEN_LINES)));
    await tcp.send({ name: 'job-1', bytes, text: '' }, 2000);
    await until(() => printer.received.length === 1);
    expect(printer.received[0]?.bytes.equals(bytes)).toBe(true);
    expect(printer.received[0]?.queried).toBe(true);
    expect(tcp.state()).toEqual({ status: 'online', reason: 'last ticket printed' });

    const tokens = tokenize(printer.received[0]?.bytes ?? Buffer.alloc(0));
    expect(unknownTokens(tokens)).toEqual([]);
    const lines = printedLines(tokens);
    const find = (start: string) => lines.find((l) => l.text.trimStart().startsWith(start));
    expect(find('K7M2')).toMatchObject({ size: 2, bold: true, align: 'center' });
    expect(find('For Zoë')?.text).toBe('For Zoë');
    expect(find('2 x Cheeseburger')).toMatchObject({ bold: true, invert: false });
    expect(find('+ Bacon')).toMatchObject({ bold: false });
    expect(find('NOTE: extra crispy - merci!')).toMatchObject({ bold: true });
    expect(find('ALLERGENS: GLUTEN, MILK')).toMatchObject({ bold: true, invert: true });
    expect(find('PAY AT PICKUP')?.text).toMatch(/^PAY AT PICKUP +\$37\.26$/);
    expect(tokens.filter((t) => t.t === 'qr_store')).toEqual([{ t: 'qr_store', data: ORDER_URL }]);
    expect(tokens.filter((t) => t.t === 'cut')).toHaveLength(1);
    expect(lines.every((l) => l.text.length <= (l.size === 2 ? 24 : 48))).toBe(true);
  });

  it('matches the golden kitchen ticket (80 mm) and the golden REPRINT receipt (58 mm)', () => {
    expectGolden(
      'ticket-80mm.golden.txt',
      renderTokens(tokenize(encode(input(sampleOrder(GOLDEN_LINES))).bytes)),
    );
    const paid = sampleOrder(GOLDEN_LINES, { payment: { method: 'demo_card' } });
    const receipt = encode(input(paid, { kind: 'receipt', reprint: true }), 58);
    expectGolden('receipt-58mm-reprint.golden.txt', renderTokens(tokenize(receipt.bytes)));
    expect(receipt.text.split('\n')[0]?.trim()).toBe('REPRINT');
  });

  it('prints €, £ and accents through code page 858 and transliterates the rest', () => {
    const settings = {
      ...demoSettings(),
      profile: { ...demoSettings().profile, currency: 'EUR', locale: 'fr-FR' },
    };
    const order = sampleOrder([line('Crème brûlée', 1, ['Œuf'], 'Łatwo, bitte 👍')], {
      currency: 'EUR',
      customerName: 'Дмитрий',
    });
    const lines = printedLines(tokenize(encode(input(order, {}, settings)).bytes)).map((l) => l.text.trim());
    expect(lines).toContain('1 x Crème brûlée');
    expect(lines).toContain('+ OEuf');
    expect(lines).toContain('NOTE: Latwo, bitte');
    expect(lines).toContain('For Dmitriy');
    expect(lines.find((l) => l.startsWith('PAY AT PICKUP'))).toMatch(/ 15,36 €$/);
    expect(lines.join('\n')).not.toContain('?');
  });
});

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces a hostile name or note is made of: printer commands, bidi and zero-width characters, scripts. */
const PIECES = [
  'Ada',
  'no onions',
  ' ',
  'Zoë',
  '€£',
  '🍔👍🏽',
  '王',
  'Дима',
  'x'.repeat(70),
  '\t',
  '\r\n',
  '\u001bp\u0000\u0019\u00fa', // ESC p: the cash-drawer kick
  '\u001bp\u0001\u0032\u0032',
  '\u001dV\u0000', // GS V: a cut
  '\u001dVA\u0003',
  '\u001d(k\u0003\u00001Q0', // GS ( k: print the stored QR
  '\u001d(E\u0003\u0000\u0001IN', // GS ( E: user setup
  '\u0010\u0004\u0001', // DLE EOT
  '\u0010\u0014\u0001\u0000\u0005', // DLE DC4: real-time drawer pulse
  '\u001cp\u0001\u0000', // FS p: print a stored logo
  '\u001b@',
  '\u001b!\u0030',
  '\u001bE\u0001',
  '\u001dB\u0001',
  '\u001bt\u0010',
  '\u001b\u0064\u0020',
  '\u007f\u0085\u009b\u009c',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200e\u200f\u061c',
  '\u200b\u200c\u200d\u2060\ufeff\u00ad',
];

function hostile(next: () => number): string {
  let out = '';
  const count = Math.floor(next() * 10);
  for (let i = 0; i < count; i += 1) {
    const roll = next();
    if (roll < 0.75) out += PIECES[Math.floor(next() * PIECES.length)] ?? '';
    else if (roll < 0.9)
      out += String.fromCharCode(Math.floor(next() * 0xa0)); // any C0, ASCII or C1
    else out += String.fromCharCode(0x2000 + Math.floor(next() * 0x70)); // punctuation and format block
  }
  return out;
}

/** Styles must be off again by the cut; size 2 lines hold half as many characters. */
function styleProblems(tokens: readonly Token[], columns: number): string[] {
  const problems: string[] = [];
  const mode = { bold: false, invert: false, size: 1 };
  for (const token of tokens) {
    if (token.t === 'bold') mode.bold = token.on;
    if (token.t === 'invert') mode.invert = token.on;
    if (token.t === 'size') mode.size = Math.max(token.width, token.height);
    if (token.t === 'cut' && (mode.bold || mode.invert || mode.size !== 1))
      problems.push('style left on at the cut');
  }
  for (const l of printedLines(tokens)) {
    if (l.text.length > (l.size === 2 ? columns / 2 : columns)) problems.push(`line too wide: ${l.text}`);
  }
  return problems;
}

describe('hostile names and notes', () => {
  it('never yield a printer command: 400 seeded tickets and receipts at both widths, deliveries too', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261124);
    const next = random(seed);
    for (let run = 0; run < 400; run += 1) {
      const settings: ShopSettings = {
        ...demoSettings(),
        profile: { ...demoSettings().profile, name: hostile(next), address: hostile(next) },
      };
      const lines = [0, 1, 2].map(() =>
        line(hostile(next), 1 + Math.floor(next() * 3), [hostile(next)], hostile(next)),
      );
      // Every fourth order is a delivery, its address as hostile as the names.
      const fulfillment: Order['fulfillment'] =
        run % 4 === 0
          ? {
              type: 'delivery',
              address: {
                name: hostile(next),
                line1: hostile(next),
                line2: hostile(next),
                city: hostile(next),
                region: '',
                country: 'US',
                postalCode: hostile(next),
                phone: hostile(next),
              },
              leadMinutes: 20,
            }
          : { type: 'pickup' };
      const order = sampleOrder(lines, { customerName: hostile(next), fulfillment });
      const paper = run % 2 === 0 ? 80 : 58;
      const kind = run % 3 === 0 ? 'receipt' : 'ticket';
      const tokens = tokenize(encode(input(order, { kind, reprint: run % 5 === 0 }, settings), paper).bytes);
      const context = `seed ${seed}, run ${run}`;
      expect(unknownTokens(tokens), context).toEqual([]);
      expect(
        tokens.filter((t) => t.t === 'cut'),
        context,
      ).toHaveLength(1);
      expect(
        tokens.slice(-2).map((t) => t.t),
        context,
      ).toEqual(['cut', 'init']);
      expect(
        tokens.filter((t) => t.t === 'init'),
        context,
      ).toHaveLength(2);
      expect(
        tokens.filter((t) => t.t === 'codepage'),
        context,
      ).toEqual([{ t: 'codepage', n: 19 }]);
      expect(
        tokens.filter((t) => t.t === 'qr_store'),
        context,
      ).toEqual([{ t: 'qr_store', data: ORDER_URL }]);
      expect(styleProblems(tokens, paperColumns(paper)), context).toEqual([]);
    }
  });
});

describe('the network printer port', () => {
  const bytes = Buffer.from('ticket\n');

  it('reports a refused connection as offline, with nothing printed', async () => {
    const { printer, port } = await listening();
    await printer.close();
    const tcp = createTcpPrinter({ host: '127.0.0.1', port });
    const failure = await sendFailure(tcp, bytes, 1000);
    expect(failure).toMatchObject({ status: 'offline', maybePrinted: false });
    expect(tcp.state()).toEqual({
      status: 'offline',
      reason: 'connection refused (printer off, or another port?)',
    });
  });

  it('takes a status answer as confirmation from a printer that keeps the socket open', async () => {
    const { printer, tcp } = await listening('answer');
    await tcp.send({ name: 'x', bytes, text: '' }, 1000);
    expect(tcp.state()).toEqual({ status: 'online', reason: 'last ticket printed' });
    // Offline (bit 3): the printer holds the ticket until its cover closes or paper comes; /ready says so.
    printer.setMode('answer', 0x12 | 0x08);
    await tcp.send({ name: 'y', bytes, text: '' }, 1000);
    expect(tcp.state()).toMatchObject({ status: 'offline', reason: expect.stringContaining('cover open') });
    await until(() => printer.received.length === 2);
    expect(printer.received.map((r) => r.bytes.toString())).toEqual(['ticket\n', 'ticket\n']);
  });

  it('times out on a printer that accepts but never reads, and on one that never confirms', async () => {
    for (const mode of ['stall', 'hold'] as const) {
      const { tcp } = await listening(mode);
      const started = performance.now();
      const failure = await sendFailure(tcp, Buffer.alloc(4096, 0x41), 300);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(failure, mode).toMatchObject({ status: 'offline', maybePrinted: true });
      expect(tcp.state().reason).toContain('did not take the ticket within 300 ms');
    }
  });

  it('reports a printer that resets the connection mid-ticket: it may have printed part of it', async () => {
    const server = createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tcp = createTcpPrinter({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
    const failure = await sendFailure(tcp, Buffer.alloc(256 * 1024, 0x41), 2000);
    expect(failure).toMatchObject({ status: 'offline', maybePrinted: true });
    expect(tcp.state().reason).toBe('the printer reset the connection');
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('the USB printer port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'counterpi-usb-'));
  dirs.push(dir);

  it('writes the document to the device file', async () => {
    const device = join(dir, 'lp0');
    writeFileSync(device, '');
    const usb = createUsbPrinter({ device });
    await usb.send({ name: 'x', bytes: Buffer.from('\u001b@ticket\n'), text: '' }, 1000);
    expect(readFileSync(device, 'utf8')).toBe('\u001b@ticket\n');
    expect(usb.state().status).toBe('online');
  });

  it('reports an unplugged printer as offline and a permission problem as an error', async () => {
    const missing = createUsbPrinter({ device: join(dir, 'lp9') });
    expect(await sendFailure(missing, Buffer.from('x'), 500)).toMatchObject({
      status: 'offline',
      maybePrinted: false,
    });
    expect(missing.state().reason).toContain('device not found');
    if (process.getuid?.() === 0) return; // root may write anywhere
    const locked = join(dir, 'lp-locked');
    writeFileSync(locked, '');
    chmodSync(locked, 0o400);
    expect(await sendFailure(createUsbPrinter({ device: locked }), Buffer.from('x'), 500)).toMatchObject({
      status: 'error',
      message: expect.stringContaining('lp group'),
    });
  });

  it('times out when the printer takes no data, without holding an I/O thread', async () => {
    const fifo = join(dir, 'lp-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A reader that holds the pipe open and never reads: writes fill the pipe, then answer EAGAIN.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const failure = await sendFailure(createUsbPrinter({ device: fifo }), Buffer.alloc(1 << 20, 0x41), 300);
      expect(failure).toMatchObject({ status: 'offline', maybePrinted: true });
      expect(failure.message).toContain('took no data for 300 ms');
    } finally {
      closeSync(reader);
    }
  });
});

describe('the simulated printer', () => {
  it('writes the raw bytes and a readable rendering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpi-sim-'));
    dirs.push(dir);
    const sim = createSimPrinter({ dir: join(dir, 'tickets') });
    const encoded = encode(input(sampleOrder(GOLDEN_LINES)));
    await sim.send({ name: 'job-1-1-K7M2-ticket', ...encoded }, 1000);
    expect(readFileSync(join(dir, 'tickets', 'job-1-1-K7M2-ticket.bin')).equals(encoded.bytes)).toBe(true);
    const text = readFileSync(join(dir, 'tickets', 'job-1-1-K7M2-ticket.txt'), 'utf8');
    expect(text).toContain('2 x Cheeseburger');
    expect(text).toContain(`[QR ${ORDER_URL}]`);
  });
});
