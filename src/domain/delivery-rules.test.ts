import { describe, expect, it } from 'vitest';
import type { DeliveryAddress } from './delivery.js';
import { type DeliveryRuleTerms, deliveryViolations } from './delivery-rules.js';
import { DELIVERY_DEFAULTS } from './shop-settings.js';

const profile = {
  name: 'Bun & Done',
  address: '1 Test St',
  phone: '+1 555 0100',
  currency: 'USD',
  locale: 'en-US',
};
const delivering = {
  profile,
  delivery: {
    enabled: true,
    feeMinor: 399,
    minimumMinor: 1500,
    postalCodes: ['10001', 'SW1A 1AA'],
    leadMinutes: 20,
  },
};
const terms: DeliveryRuleTerms = {
  choicePath: 'delivery_address',
  addressPath: 'delivery_address',
  required: {
    line1: 'delivery_address.street',
    city: 'delivery_address.city',
    postalCode: 'delivery_address.postal_code',
  },
  itemsPath: 'lines',
  pickupHint: 'Choose pickup instead.',
  addressHint: 'Send delivery_address.',
  partHint: 'Send the whole address again.',
};
const address: DeliveryAddress = {
  name: '',
  line1: '12 Oak St',
  city: 'Springfield',
  region: '',
  country: '',
  postalCode: '10001',
};

describe('the delivery rules', () => {
  it('lets a complete address in the area with enough items through', () => {
    expect(deliveryViolations({ settings: delivering, address, itemsSubtotal: 1500, terms })).toEqual([]);
    const zipPlus4 = { ...address, postalCode: '10001-1234' };
    expect(
      deliveryViolations({ settings: delivering, address: zipPlus4, itemsSubtotal: 2000, terms }),
    ).toEqual([]);
  });

  it('says the shop is not delivering, pointing at the choice, when delivery is off or serves nowhere', () => {
    const off = { profile, delivery: { ...delivering.delivery, enabled: false } };
    const nowhere = { profile, delivery: { ...delivering.delivery, postalCodes: [] } };
    const defaults = { profile, delivery: DELIVERY_DEFAULTS };
    for (const settings of [off, nowhere, defaults]) {
      expect(deliveryViolations({ settings, address, itemsSubtotal: 5000, terms })).toEqual([
        {
          code: 'delivery_unavailable',
          message: 'Bun & Done is not delivering right now.',
          path: 'delivery_address',
          suggestion: 'Choose pickup instead.',
        },
      ]);
    }
  });

  it('asks for a missing address, and names each blank part at the caller’s path', () => {
    expect(
      deliveryViolations({ settings: delivering, address: undefined, itemsSubtotal: 5000, terms }),
    ).toEqual([
      {
        code: 'delivery_address_missing',
        message: 'Delivery needs the address to deliver to.',
        path: 'delivery_address',
        suggestion: 'Send delivery_address.',
      },
    ]);
    const blank = { ...address, line1: ' ', city: '' };
    expect(deliveryViolations({ settings: delivering, address: blank, itemsSubtotal: 5000, terms })).toEqual([
      {
        code: 'delivery_address_missing',
        message: 'The delivery address needs the street address.',
        path: 'delivery_address.street',
        suggestion: 'Send the whole address again.',
      },
      {
        code: 'delivery_address_missing',
        message: 'The delivery address needs the city.',
        path: 'delivery_address.city',
        suggestion: 'Send the whole address again.',
      },
    ]);
  });

  it('requires a recipient only when the caller asks for one, and adds no hint it was not given', () => {
    const named = { ...terms, required: { ...terms.required, name: 'address.name' }, partHint: undefined };
    expect(deliveryViolations({ settings: delivering, address, itemsSubtotal: 5000, terms: named })).toEqual([
      {
        code: 'delivery_address_missing',
        message: 'The delivery address needs who receives it.',
        path: 'address.name',
      },
    ]);
  });

  it('refuses a postal code outside the area, naming the served codes (ten at most)', () => {
    const far = { ...address, postalCode: '99999' };
    expect(deliveryViolations({ settings: delivering, address: far, itemsSubtotal: 5000, terms })).toEqual([
      {
        code: 'delivery_out_of_area',
        message: 'Bun & Done does not deliver to 99999; it delivers to 10001, SW1A 1AA.',
        path: 'delivery_address.postal_code',
        suggestion: 'Choose pickup instead.',
      },
    ]);
    const many = {
      profile,
      delivery: { ...delivering.delivery, postalCodes: Array.from({ length: 13 }, (_, i) => `${10001 + i}`) },
    };
    const [message] = deliveryViolations({ settings: many, address: far, itemsSubtotal: 5000, terms }).map(
      (v) => v.message,
    );
    expect(message).toMatch(/it delivers to 10001, .*, 10010 and 3 more\.$/);
  });

  it('names the minimum, what the items come to and the amount missing', () => {
    expect(deliveryViolations({ settings: delivering, address, itemsSubtotal: 1095, terms })).toEqual([
      {
        code: 'delivery_minimum',
        message: 'Delivery needs an order of at least $15.00 in items; this one has $10.95.',
        path: 'lines',
        suggestion: 'Add $4.05 more, or choose pickup.',
      },
    ]);
    // Without an address too: every problem at once.
    expect(
      deliveryViolations({ settings: delivering, address: undefined, itemsSubtotal: 0, terms }).map(
        (v) => v.code,
      ),
    ).toEqual(['delivery_address_missing', 'delivery_minimum']);
  });
});
