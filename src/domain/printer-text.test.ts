import { describe, expect, it } from 'vitest';
import { isAppError } from './app-error.js';
import { assertQrPayload, cleanPrinterText, printerLine, printerLines, wrapText } from './printer-text.js';

describe('cleanPrinterText', () => {
  it('drops C0, DEL and C1 controls, so no printer command survives', () => {
    expect(cleanPrinterText('Bob\u001bp\u0000\u0019\u00fa')).toBe('Bobp\u00fa');
    expect(cleanPrinterText('a\u0010\u0004\u0001b\u001c\u001dc\u007f\u0085\u009bd')).toBe('abcd');
  });

  it('drops bidi controls and zero-width characters without leaving gaps', () => {
    const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(cleanPrinterText(`Ad${bidi}am`)).toBe('Adam');
    expect(cleanPrinterText('Z\u200bo\u200ce\u200d\u2060\ufeff')).toBe('Zoe');
    expect(cleanPrinterText('soft\u00adhyphen')).toBe('softhyphen');
  });

  it('normalises with NFKC and collapses every kind of whitespace', () => {
    expect(cleanPrinterText('ＡＢＣ ﬁsh')).toBe('ABC fish');
    expect(cleanPrinterText('  no\tonions\r\n\u00a0\u2028please\u3000 ')).toBe('no onions please');
    // A combining accent split from its letter by a zero-width space joins it again.
    expect(cleanPrinterText('Jose\u200b\u0301')).toBe('José');
  });
});

describe('wrapping and caps', () => {
  it('wraps at spaces and splits words longer than a line', () => {
    expect(wrapText('two cheeseburgers no onions', 12)).toEqual([
      'two',
      'cheeseburgers'.slice(0, 12),
      's no onions',
    ]);
    expect(wrapText('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
  });

  it('caps characters and lines, marking the cut', () => {
    expect(printerLines('x'.repeat(50), { width: 10, maxLines: 9, maxChars: 20 })).toEqual([
      'xxxxxxxxxx',
      'xxxxxxx...',
    ]);
    expect(printerLines('one two three four five six', { width: 8, maxLines: 2 })).toEqual([
      'one two',
      'three...',
    ]);
    expect(printerLine('Ada Lovelace', { width: 5 })).toBe('Ad...');
  });

  it('measures text after the printer fold, so widths count printed characters', () => {
    const fold = (text: string) => text.replaceAll('Œ', 'OE');
    expect(printerLines('ŒŒŒ', { width: 4, maxLines: 3, fold })).toEqual(['OEOE', 'OE']);
  });

  it('never lets a line exceed the width, whatever the input', () => {
    const input = `${'\u202e'.repeat(5)}${'word '.repeat(40)}${'\u0000'.repeat(5)}${'🍔'.repeat(9)}`;
    for (const width of [1, 3, 16, 32]) {
      for (const line of printerLines(input, { width, maxLines: 6, maxChars: 120 })) {
        expect([...line].length).toBeLessThanOrEqual(width);
      }
    }
  });
});

describe('assertQrPayload', () => {
  it('accepts a short ASCII URL and refuses anything else', () => {
    expect(assertQrPayload('https://shop.example.com/o/ord_1')).toBe('https://shop.example.com/o/ord_1');
    for (const bad of [
      'https://shop.example.com/o/é',
      `https://shop.example.com/${'a'.repeat(240)}`,
      'https://shop.example.com/o/1\u001bp',
      'javascript:alert(1)',
      'https://a b',
    ]) {
      let code = 'none';
      try {
        assertQrPayload(bad);
      } catch (error) {
        code = isAppError(error) ? error.code : 'other';
      }
      expect(code, bad).toBe('internal');
    }
  });
});
