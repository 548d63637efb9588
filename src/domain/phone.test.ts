import { describe, expect, it } from 'vitest';
import { toE164, withoutPhonePunctuation } from './phone.js';

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
});
