import { describe, expect, it } from 'vitest';
import { countryOfLocale, readPhone, toE164, withoutPhonePunctuation } from './phone.js';

describe('phone numbers', () => {
  it('reads what people type as E.164, and refuses what is not a number', () => {
    expect(toE164('+1 (555) 123-4567')).toBe('+15551234567');
    expect(toE164('+44 7700.900.123')).toBe('+447700900123');
    expect(toE164('15551234567')).toBeUndefined();
    expect(toE164('15551234567', { plusOptional: true })).toBe('+15551234567');
    expect(toE164('+0 555 123')).toBeUndefined();
    expect(toE164('call me')).toBeUndefined();
    expect(withoutPhonePunctuation(' +1 (555) 01-23 ')).toBe('+15550123');
  });

  it('reads a national number in the shop’s country, and an international one anywhere', () => {
    expect(readPhone('(217) 555-0142', 'US')).toEqual({ e164: '+12175550142' });
    expect(readPhone('217.555.0142', 'US')).toEqual({ e164: '+12175550142' });
    expect(readPhone('06 12 34 56 78', 'FR')).toEqual({ e164: '+33612345678' });
    expect(readPhone('+44 7700 900123', 'US')).toEqual({ e164: '+447700900123' });
    expect(readPhone('+1 555 123 4567')).toEqual({ e164: '+15551234567' });
  });

  it('says why a number cannot be read: missing, not digits, or a length no phone has', () => {
    expect(readPhone('  ', 'US')).toEqual({ problem: 'missing' });
    expect(readPhone('call me', 'US')).toEqual({ problem: 'not_a_number' });
    expect(readPhone('(217) 555-014', 'US')).toEqual({ problem: 'impossible' });
    expect(readPhone('555-0142', 'US')).toEqual({ problem: 'impossible' });
    expect(readPhone('217 555 0142')).toEqual({ problem: 'impossible' });
  });

  it('finds the shop’s country in its locale', () => {
    expect(countryOfLocale('en-US')).toBe('US');
    expect(countryOfLocale('fr')).toBe('FR');
    expect(countryOfLocale('de-CH')).toBe('CH');
    expect(countryOfLocale('not a locale!')).toBeUndefined();
  });
});
