import { describe, expect, it } from 'vitest';
import { createShopCalendar } from '../../domain/shop-calendar.js';
import type { OfferRecord } from '../../store/offers-admin-repo.js';
import { offerStatus } from './offer-admin.js';

const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const calendar = createShopCalendar({ timezone: 'America/New_York', weekly: closed, exceptions: [] });
const promo = (validFrom?: string, validUntil?: string): OfferRecord['stored'] => ({
  kind: 'promo_code',
  offer: {
    id: 'p',
    name: 'P',
    value: { kind: 'percent', percent: 10 },
    scope: { kind: 'order' },
    minimumSubtotal: 0,
    validFrom: validFrom === undefined ? undefined : new Date(validFrom),
    validUntil: validUntil === undefined ? undefined : new Date(validUntil),
    limits: {},
    combinesWith: { codes: false, mealDeals: false },
  },
});
const happyHour: OfferRecord['stored'] = {
  kind: 'automatic',
  offer: {
    kind: 'happy_hour',
    id: 'h',
    name: 'H',
    percent: 25,
    scope: { kind: 'order' },
    windows: [{ days: ['tue'], start: '17:00', end: '19:00' }],
  },
};
// Tuesday 17:05 in New York.
const NOW = new Date('2026-11-24T22:05:00Z');

describe('an offer’s status on the owner’s list', () => {
  it.each([
    ['a code with no dates', 'active', promo(), false, NOW],
    ['a code before its first day', 'scheduled', promo('2026-12-01T05:00:00Z'), false, NOW],
    ['a code at its last instant', 'expired', promo(undefined, '2026-11-24T22:05:00Z'), false, NOW],
    ['a paused code past its end', 'paused', promo(undefined, '2026-11-01T00:00:00Z'), true, NOW],
    ['a happy hour in its hours', 'active', happyHour, false, NOW],
    ['a happy hour before its hours', 'scheduled', happyHour, false, new Date('2026-11-24T21:55:00Z')],
  ])('%s is %s', (_, status, stored, paused, now) => {
    expect(offerStatus({ stored, paused, createdAtMs: 0 }, now, calendar)).toBe(status);
  });
});
