/**
 * Code page 858 (850 with € at 0xD5), the page tickets are printed in: bytes 0x80–0xFF in order.
 * Written out rather than looked up so what reaches the printer never depends on a library's fallback,
 * which switches code pages mid-ticket or prints "?" for what it cannot map.
 */
const CP858_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

/** Characters the printer prints as they are: printable ASCII and the upper half of CP858. */
const PRINTABLE = new Set([
  ...Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)),
  ...CP858_HIGH.replace(/[\u00ad\u00a0]/g, ''),
]);

/** Letters NFKD does not take apart, punctuation with a plain twin, and two common scripts, by sound. */
const MAP: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
  œ: 'oe',
  Œ: 'OE',
  ŧ: 't',
  Ŧ: 'T',
  ŋ: 'ng',
  Ŋ: 'NG',
  ə: 'e',
  Ə: 'E',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2039': '<',
  '\u203a': '>',
  '\u2010': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2022': '*',
  '\u2044': '/',
  '\u2190': '<-',
  '\u2192': '->',
  '\u20a9': 'W',
  '\u20b9': 'Rs',
  '\u20ba': 'TL',
  '\u20bd': 'RUB',
  '\u20b4': 'UAH',
  '\u20aa': 'ILS',
  '\u0e3f': 'THB',
  // Cyrillic (ISO 9-like, readable to a Latin kitchen).
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Greek.
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

const MARKS = /\p{M}/gu;
// Emoji, skin tones, flag letters and stray combining marks.
const PICTOGRAPHIC = /^[\p{Extended_Pictographic}\p{Emoji_Component}\p{M}]$/u;

function mapped(ch: string): string | undefined {
  const direct = MAP[ch];
  if (direct !== undefined) return direct;
  const lower = ch.toLowerCase();
  const fromLower = lower === ch ? undefined : MAP[lower];
  if (fromLower === undefined || fromLower === '') return fromLower;
  return fromLower.charAt(0).toUpperCase() + fromLower.slice(1);
}

function foldOne(ch: string): string {
  if (PRINTABLE.has(ch)) return ch;
  const direct = mapped(ch);
  if (direct !== undefined) return direct;
  // "ő" → "o", "ş" → "s", "ư" → "u": the base letter without its marks, when the printer has it.
  const base = ch.normalize('NFKD').replace(MARKS, '');
  if (base !== '' && base !== ch) return [...base].map(foldOne).join('');
  // Emoji and stray marks carry nothing a kitchen needs; any other letter is honestly unknown.
  return PICTOGRAPHIC.test(ch) ? '' : '?';
}

/**
 * Maps text onto what a CP858 printer prints: €, £ and accented Latin letters stay as they are;
 * anything else is transliterated (NFKD without marks, then a small map), emoji are dropped, and only
 * letters of scripts without a mapping (CJK, Arabic…) become "?". Expects text already cleaned of
 * control characters (`cleanPrinterText`).
 */
export function toPrinterCharset(text: string): string {
  let out = '';
  for (const ch of text) out += foldOne(ch);
  return out;
}

/** True when every character of `text` is printed as is in CP858 (nothing left to transliterate). */
export function isPrinterCharset(text: string): boolean {
  for (const ch of text) if (!PRINTABLE.has(ch)) return false;
  return true;
}
