/**
 * A small ESC/POS tokenizer for tests: it reads the bytes a printer would get and says what they do.
 * It knows exactly the commands a counterpi ticket may use; every other command byte (ESC p drawer
 * kick, DLE real-time commands, FS, GS ( functions other than the QR code, stray C0 controls) comes
 * out as an `unknown` token, so a test can demand there are none.
 */

/** Code page 858, bytes 0x80–0xFF: written out independently of the encoder, as the test's own oracle. */
const CP858_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

export type Token =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'lf' }
  | { readonly t: 'init' }
  | { readonly t: 'codepage'; readonly n: number }
  | { readonly t: 'bold'; readonly on: boolean }
  | { readonly t: 'invert'; readonly on: boolean }
  | { readonly t: 'size'; readonly width: number; readonly height: number }
  | { readonly t: 'align'; readonly align: 'left' | 'center' | 'right' }
  | { readonly t: 'feed'; readonly lines: number }
  | { readonly t: 'cut'; readonly partial: boolean }
  | { readonly t: 'qr'; readonly fn: 'model' | 'size' | 'ecc' | 'print'; readonly value: number }
  | { readonly t: 'qr_store'; readonly data: string }
  | { readonly t: 'unknown'; readonly bytes: readonly number[]; readonly at: number };

const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;
const ALIGNS = ['left', 'center', 'right'] as const;

/** A command the tokenizer knows, and how many bytes it takes; undefined for anything else. */
type Known = readonly [Token, number] | undefined;

function escCommand(c: number, n: number): Known {
  if (c === 0x40) return [{ t: 'init' }, 2];
  if (n < 0) return undefined;
  if (c === 0x74) return [{ t: 'codepage', n }, 3];
  if (c === 0x45 && (n === 0 || n === 1)) return [{ t: 'bold', on: n === 1 }, 3];
  const align = c === 0x61 ? ALIGNS[n] : undefined;
  if (align !== undefined) return [{ t: 'align', align }, 3];
  if (c === 0x64) return [{ t: 'feed', lines: n }, 3];
  // ESC ! n, print mode: bit 4 double height, bit 5 double width.
  if (c === 0x21) return [{ t: 'size', width: n & 0x20 ? 2 : 1, height: n & 0x10 ? 2 : 1 }, 3];
  return undefined; // ESC p (the drawer kick) and everything else
}

function gsCommand(c: number, n: number, m: number): Known {
  if (c === 0x42 && (n === 0 || n === 1)) return [{ t: 'invert', on: n === 1 }, 3];
  if (c === 0x21 && n >= 0) return [{ t: 'size', width: (n >> 4) + 1, height: (n & 0x0f) + 1 }, 3];
  if (c === 0x56 && [0, 1, 48, 49].includes(n)) return [{ t: 'cut', partial: n === 1 || n === 49 }, 3];
  if (c === 0x56 && (n === 65 || n === 66) && m >= 0) return [{ t: 'cut', partial: n === 66 }, 4];
  return undefined;
}

/** GS ( k with cn 0x31: the QR code functions. Any other GS ( function is unknown. */
function qrCommand(bytes: Uint8Array, i: number): Known {
  const length = (bytes[i + 3] ?? 0) + (bytes[i + 4] ?? 0) * 256;
  const total = 5 + length;
  if (bytes[i + 2] !== 0x6b || bytes[i + 5] !== 0x31 || i + total > bytes.length) return undefined;
  const code = bytes[i + 6];
  const body = bytes.subarray(i + 7, i + total);
  const value = body[0] ?? 0;
  if (code === 0x41 && length === 4) return [{ t: 'qr', fn: 'model', value }, total];
  if (code === 0x43 && length === 3) return [{ t: 'qr', fn: 'size', value }, total];
  if (code === 0x45 && length === 3) return [{ t: 'qr', fn: 'ecc', value }, total];
  if (code === 0x51 && length === 3) return [{ t: 'qr', fn: 'print', value }, total];
  if (code === 0x50 && value === 0x30) {
    return [{ t: 'qr_store', data: Buffer.from(body.subarray(1)).toString('latin1') }, total];
  }
  return undefined;
}

/** The command at `i` (an ESC or GS byte), or undefined with how many bytes to flag as unknown. */
function command(bytes: Uint8Array, i: number): Known | { unknown: number } {
  const at = (k: number) => bytes[k] ?? -1;
  if (at(i) === ESC) return escCommand(at(i + 1), at(i + 2)) ?? { unknown: 3 };
  if (at(i + 1) === 0x28 && at(i + 4) >= 0) {
    const total = 5 + at(i + 3) + at(i + 4) * 256;
    return qrCommand(bytes, i) ?? { unknown: total };
  }
  return gsCommand(at(i + 1), at(i + 2), at(i + 3)) ?? { unknown: 3 };
}

/** Splits a byte stream into tokens; never throws, whatever the bytes. */
export function tokenize(bytes: Uint8Array): Token[] {
  const tokens: Token[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') tokens.push({ t: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if ((b >= 0x20 && b <= 0x7e) || b >= 0x80) {
      text += b < 0x80 ? String.fromCharCode(b) : (CP858_HIGH[b - 0x80] ?? '?');
      i += 1;
      continue;
    }
    flush();
    const found: Known | { unknown: number } =
      b === LF ? [{ t: 'lf' }, 1] : b === ESC || b === GS ? command(bytes, i) : { unknown: 1 };
    // DLE, FS, CR, HT, CAN, DEL and unknown ESC/GS commands: nothing a ticket sends.
    const [token, length] =
      found === undefined || 'unknown' in found
        ? [undefined, found === undefined ? 1 : found.unknown]
        : [found[0], found[1]];
    const end = Math.min(bytes.length, i + Math.max(1, length));
    tokens.push(token ?? { t: 'unknown', bytes: [...bytes.subarray(i, end)], at: i });
    i = end;
  }
  flush();
  return tokens;
}

/** One printed line with the styles in force when its first character was printed. */
export interface PrintedLine {
  readonly text: string;
  readonly bold: boolean;
  readonly invert: boolean;
  readonly size: number;
  readonly align: 'left' | 'center' | 'right';
}

interface Mode {
  bold: boolean;
  invert: boolean;
  size: number;
  align: 'left' | 'center' | 'right';
}

const initial = (): Mode => ({ bold: false, invert: false, size: 1, align: 'left' });

/** The text lines a ticket prints, with their styles; an empty line is a blank feed. */
export function printedLines(tokens: readonly Token[]): PrintedLine[] {
  const lines: PrintedLine[] = [];
  let mode = initial();
  let text = '';
  let start: Mode | undefined;
  for (const token of tokens) {
    if (token.t === 'text') {
      start ??= { ...mode };
      text += token.text;
    } else if (token.t === 'lf') {
      const m = start ?? mode;
      lines.push({ text, bold: m.bold, invert: m.invert, size: m.size, align: m.align });
      text = '';
      start = undefined;
    } else if (token.t === 'init') mode = initial();
    else if (token.t === 'bold') mode.bold = token.on;
    else if (token.t === 'invert') mode.invert = token.on;
    else if (token.t === 'size') mode.size = Math.max(token.width, token.height);
    else if (token.t === 'align') mode.align = token.align;
  }
  return lines;
}

/**
 * A readable, diff-friendly rendering for golden files: one line per printed line or command, styles as
 * a prefix (C centered, B bold, I inverse, 2 double size), QR codes with their payload, cuts.
 */
export function renderTokens(tokens: readonly Token[]): string {
  const out: string[] = [];
  const lines = printedLines(tokens);
  let line = 0;
  let qr: string[] = [];
  for (const token of tokens) {
    if (token.t === 'lf') {
      const l = lines[line];
      line += 1;
      if (l === undefined) continue;
      const flags = `${l.align === 'center' ? 'C' : l.align === 'right' ? 'R' : ' '}${l.bold ? 'B' : ' '}${l.invert ? 'I' : ' '}${l.size > 1 ? '2' : ' '}`;
      out.push(`${flags} |${l.text}`);
    } else if (token.t === 'qr') {
      if (token.fn === 'print') {
        out.push(`QR ${qr.join(' ')}`);
        qr = [];
      } else qr.push(`${token.fn}=${token.value}`);
    } else if (token.t === 'qr_store') qr.push(`data=${token.data}`);
    else if (token.t === 'cut') out.push(token.partial ? 'CUT partial' : 'CUT');
    else if (token.t === 'codepage') out.push(`CODEPAGE ${token.n}`);
    else if (token.t === 'init') out.push('INIT');
    else if (token.t === 'feed') out.push(`FEED ${token.lines}`);
    else if (token.t === 'unknown') out.push(`UNKNOWN ${token.bytes.map((b) => b.toString(16)).join(' ')}`);
  }
  return `${out.join('\n')}\n`;
}

/** Tokens no ticket may contain: unknown commands. */
export function unknownTokens(tokens: readonly Token[]): Token[] {
  return tokens.filter((token) => token.t === 'unknown');
}
