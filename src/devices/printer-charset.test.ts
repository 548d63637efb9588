import { describe, expect, it } from 'vitest';
import { cleanPrinterText } from '../domain/printer-text.js';
import { isPrinterCharset, toPrinterCharset } from './printer-charset.js';
import { encodeEscPos } from './printer-escpos.js';

const fold = (text: string) => toPrinterCharset(cleanPrinterText(text));

describe('toPrinterCharset', () => {
  it('keeps €, £ and accented Latin letters for code page 858', () => {
    const kept = 'Crème brûlée € 5 · £3 · Ñandú · Øl · Straße · Ça · ¥';
    expect(fold(kept)).toBe(kept);
    expect(isPrinterCharset(kept)).toBe(true);
  });

  it('transliterates what CP858 lacks instead of printing "?"', () => {
    expect(fold('Łukasz Żółć')).toBe('Lukasz Zólc');
    expect(fold('Őrség şiş ğ İstanbul')).toBe('Orség sis g Istanbul');
    expect(fold('Œuvre œuf')).toBe('OEuvre oeuf');
    expect(fold('Phở Nguyễn')).toBe('Pho Nguyen');
    expect(fold('Дмитрий Щукин')).toBe('Dmitriy Shchukin');
    expect(fold('Σοφία')).toBe('Sofia');
    expect(fold('“quoted” – dash … ½')).toBe('"quoted" - dash ... 1/2');
  });

  it('drops emoji and marks "?" only for scripts it cannot spell', () => {
    expect(fold('Burger 🍔👍🏽 time')).toBe('Burger  time');
    expect(fold('王')).toBe('?');
    expect(isPrinterCharset(fold('Ada 🍔 王 Łukasz Дима'))).toBe(true);
  });

  it('encodes in CP858 with no code page switch: é 0x82, € 0xD5, £ 0x9C', () => {
    const { bytes } = encodeEscPos({ blocks: [{ kind: 'lines', lines: ['é€£'] }] }, 32);
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex.startsWith('1b401b7413')).toBe(true);
    expect(hex).toContain('82d59c0a');
    // ESC t appears once: the encoder never falls back to another code page mid-ticket.
    expect(hex.match(/1b74/g)).toHaveLength(1);
  });
});
