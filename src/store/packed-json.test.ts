import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  definePackedJsonFunctions,
  JSON_DICTIONARIES,
  PACKED_COLUMNS,
  packJson,
  unpackJson,
} from './packed-json.js';

describe('packed JSON', () => {
  it('keeps each released dictionary as it was: rows packed with it are read with it for good', () => {
    const digests = Object.fromEntries(
      Object.entries(JSON_DICTIONARIES).map(([kind, d]) => [
        kind,
        createHash('sha256').update(d).digest('hex').slice(0, 16),
      ]),
    );
    expect(digests).toEqual({ prices: 'ea10e712ae3ac84d', checkout_draft: '0c708ec51e646f1e' });
  });

  it('gives back the same text, whatever it holds', () => {
    const text = JSON.stringify({ name: 'Crème brûlée ☕', lines: [{ note: 'no "nuts"\n' }], total: 1295 });
    for (const dictionary of Object.values(JSON_DICTIONARIES)) {
      const packed = packJson(text, dictionary);
      expect(unpackJson(packed, dictionary)).toBe(text);
    }
  });

  it("packs a two-line order's prices and its ACP draft two or more to a 512-byte page", () => {
    const prices = {
      currency: 'USD',
      lines: [
        [
          'cheeseburger',
          'Cheeseburger',
          1295,
          ['patty-beef', 'Beef', 0],
          ['bun-brioche', 'Brioche bun', 0],
          ['extra-bacon', 'Bacon', 200],
        ],
        ['fries', 'Fries', 450, ['side-regular', 'Regular', 0]],
      ].map(([itemId, name, unitPrice, ...options]) => ({
        itemId,
        name,
        quantity: 1,
        options: (options as [string, string, number][]).map(([id, n, price]) => ({ id, name: n, price })),
        taxRateId: 'food',
        unitPrice,
        lineTotal: unitPrice,
        discount: 0,
        net: unitPrice,
      })),
      totals: {
        itemsBase: 1745,
        subtotal: 1745,
        tax: 155,
        taxBreakdown: [{ rateId: 'food', name: 'Sales tax', percent: 8.875, amount: 155 }],
        taxIncluded: false,
        fee: 0,
        tip: 0,
        total: 1900,
        discount: 0,
      },
      applied: [],
      refused: [],
    };
    const draft = {
      items: [
        { ref: 'cheeseburger:extra-bacon', itemId: 'cheeseburger', optionIds: ['extra-bacon'], quantity: 1 },
        { ref: 'fries', itemId: 'fries', optionIds: [], quantity: 1 },
      ],
      currency: 'USD',
      pickup: 'asap',
      agentCapabilities: {},
      quotedTotal: 1900,
      buyer: { full_name: 'Sam Rivera', email: 'sam@example.com', phone_number: '+15555550123' },
      fulfillment: 'pickup',
      placedRefusals: [],
    };
    // A 512-byte page holds two rows of up to about 240 bytes; a row over 477 takes an overflow page.
    const pricesText = JSON.stringify(prices);
    expect(pricesText.length).toBeGreaterThan(477);
    expect(PACKED_COLUMNS.prices.pack(pricesText).length).toBeLessThan(230);
    expect(PACKED_COLUMNS.checkout_draft.pack(JSON.stringify(draft)).length).toBeLessThan(150);
  });

  it('packs and unpacks in SQL by the name of a dictionary, and refuses a name it does not know', () => {
    const db = new Database(':memory:');
    definePackedJsonFunctions(db);
    const text = '{"applied":[{"offerId":"off_1","amount":100}]}';
    const sum = db
      .prepare(
        "SELECT sum(json_extract(a.value, '$.amount')) FROM json_each(unpacked_json('prices', packed_json('prices', ?)), '$.applied') a",
      )
      .pluck();
    expect(sum.get(text)).toBe(100);
    expect(db.prepare("SELECT unpacked_json('prices', NULL)").pluck().get()).toBeNull();
    expect(() => db.prepare("SELECT packed_json('menu', '{}')").get()).toThrow(
      /no JSON dictionary named menu/,
    );
    expect(() => db.prepare("SELECT packed_json('toString', '{}')").get()).toThrow(/no JSON dictionary/);
    db.close();
  });
});
