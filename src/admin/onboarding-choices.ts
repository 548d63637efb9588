/** One choice of a select: the value sent, the words shown. */
export interface Choice {
  readonly value: string;
  readonly label: string;
}

/** Currencies a small shop is most likely to price in, listed first. */
const COMMON_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'AUD',
  'NZD',
  'CHF',
  'JPY',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
];

/** Languages and countries offered for writing prices and times; any other valid tag saved before is kept. */
const LOCALES = [
  'en-US',
  'en-GB',
  'en-CA',
  'en-AU',
  'en-NZ',
  'en-IE',
  'en-IN',
  'en-ZA',
  'fr-FR',
  'fr-BE',
  'fr-CA',
  'fr-CH',
  'de-DE',
  'de-AT',
  'de-CH',
  'it-IT',
  'it-CH',
  'es-ES',
  'es-MX',
  'es-US',
  'pt-PT',
  'pt-BR',
  'nl-NL',
  'nl-BE',
  'sv-SE',
  'nb-NO',
  'da-DK',
  'fi-FI',
  'pl-PL',
  'cs-CZ',
  'el-GR',
  'tr-TR',
  'ja-JP',
  'ko-KR',
  'zh-CN',
  'zh-TW',
];

const currencyNames = new Intl.DisplayNames('en', { type: 'currency' });
const localeNames = new Intl.DisplayNames('en', { type: 'language' });

/** Every currency code, the common ones first, as "USD · US Dollar". */
export function currencyChoices(): readonly Choice[] {
  const all = Intl.supportedValuesOf('currency');
  const ordered = [...COMMON_CURRENCIES, ...all.filter((code) => !COMMON_CURRENCIES.includes(code))];
  return ordered.map((code) => ({ value: code, label: `${code} · ${currencyNames.of(code) ?? code}` }));
}

/** The offered languages and countries, as "English (United States) · en-US"; `current` kept if unlisted. */
export function localeChoices(current = ''): readonly Choice[] {
  const tags = current === '' || LOCALES.includes(current) ? LOCALES : [current, ...LOCALES];
  return tags.map((tag) => ({ value: tag, label: `${localeNames.of(tag) ?? tag} · ${tag}` }));
}

/** Every IANA time zone this Node.js knows, for the searchable list. */
export function timeZoneNames(): readonly string[] {
  return Intl.supportedValuesOf('timeZone');
}

/**
 * The offered locale the browser prefers most (Accept-Language, RFC 9110 §12.5.4), or '' when none is
 * offered: a first guess the owner can change, never a decision.
 */
export function guessLocale(acceptLanguage: string | undefined): string {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((w) => w.tag !== '' && w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const exact = LOCALES.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (exact !== undefined) return exact;
  }
  return '';
}

/** The currency most shops of a locale's country price in, if one is sure; else ''. */
export function guessCurrency(locale: string): string {
  const region = /-([A-Z]{2})$/.exec(locale)?.[1];
  const byRegion: Readonly<Record<string, string>> = {
    US: 'USD',
    GB: 'GBP',
    CA: 'CAD',
    AU: 'AUD',
    NZ: 'NZD',
    IE: 'EUR',
    IN: 'INR',
    ZA: 'ZAR',
    FR: 'EUR',
    BE: 'EUR',
    CH: 'CHF',
    DE: 'EUR',
    AT: 'EUR',
    IT: 'EUR',
    ES: 'EUR',
    MX: 'MXN',
    PT: 'EUR',
    BR: 'BRL',
    NL: 'EUR',
    SE: 'SEK',
    NO: 'NOK',
    DK: 'DKK',
    FI: 'EUR',
    PL: 'PLN',
    CZ: 'CZK',
    GR: 'EUR',
    TR: 'TRY',
    JP: 'JPY',
    KR: 'KRW',
    CN: 'CNY',
    TW: 'TWD',
  };
  return region === undefined ? '' : (byRegion[region] ?? '');
}
