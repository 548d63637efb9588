import { describe, expect, it } from 'vitest';
import { currencyChoices, guessCurrency, guessLocale, localeChoices } from './onboarding-choices.js';

describe('onboarding’s first guesses', () => {
  it('takes the offered language the browser prefers most, by q-value, else none', () => {
    expect(guessLocale('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7')).toBe('fr-CH');
    expect(guessLocale('en;q=0.5, en-GB;q=0.8, de-DE')).toBe('de-DE');
    expect(guessLocale('en-gb')).toBe('en-GB');
    expect(guessLocale('xx-YY, en-US;q=0')).toBe('');
    expect(guessLocale(undefined)).toBe('');
  });

  it('guesses a currency only from a country it knows', () => {
    expect(guessCurrency('de-CH')).toBe('CHF');
    expect(guessCurrency('en-GB')).toBe('GBP');
    expect(guessCurrency('en')).toBe('');
  });

  it('lists the common currencies first, each with its name, and keeps an unlisted saved locale', () => {
    expect(currencyChoices().slice(0, 3)).toEqual([
      { value: 'USD', label: 'USD · US Dollar' },
      { value: 'EUR', label: 'EUR · Euro' },
      { value: 'GBP', label: 'GBP · British Pound' },
    ]);
    expect(localeChoices('ga-IE')[0]?.value).toBe('ga-IE');
    expect(localeChoices('fr-FR').map((c) => c.value)).not.toContain('ga-IE');
  });
});
