import { describe, expect, it } from 'vitest';
import { type AffiliateAttribution, isPiiKey, piiPath } from './affiliate-attribution.js';

const base: AffiliateAttribution = { provider: 'impact.com', token: 'atp_01J8Z3WXYZ9ABC' };

describe('personal data in an attribution claim (affiliate attribution RFC §6.2, §7.4)', () => {
  it.each([
    ['user_email', true],
    ['billingAddress', true],
    ['Phone-Number', true],
    ['e_mail', true],
    ['ssn', true],
    ['client_ip', true],
    ['placement', false],
    ['content_type', false],
    ['mailchimp_list', false],
    ['campaign_name', false],
  ])('takes the metadata key %s for a PII field name: %s', (key, pii) => {
    expect(isPiiKey(key)).toBe(pii);
  });

  it.each<[string, AffiliateAttribution, readonly string[] | undefined]>([
    ['the RFC example', { ...base, publisher_id: 'pub_123', sub_id: 'u1=abc&u2=def' }, undefined],
    ['a long numeric id inside a word', { ...base, publisher_id: 'pub_1234567890' }, undefined],
    ['a date and time', { ...base, metadata: { published: '2025-12-17 10:30' } }, undefined],
    [
      'a dated URL',
      { ...base, source: { type: 'url', url: 'https://p.example/2025-12-17-best' } },
      undefined,
    ],
    ['an email address in sub_id', { ...base, sub_id: 'ada@example.com' }, ['sub_id']],
    ['a phone number with separators', { ...base, campaign_id: 'call +1 (555) 555-0142' }, ['campaign_id']],
    ['a bare phone number in sub_id', { ...base, sub_id: 'u1=15555550142' }, ['sub_id']],
    [
      'an address in the source URL',
      { ...base, source: { type: 'url', url: 'https://p.example/?e=a@b.co' } },
      ['source', 'url'],
    ],
    [
      'a PII key in metadata',
      { ...base, metadata: { rank: 1, user_phone: 'x' } },
      ['metadata', 'user_phone'],
    ],
  ])('finds %s at %j', (_, claim, path) => {
    expect(piiPath(claim)).toEqual(path);
  });
});
