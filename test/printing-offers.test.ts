import { describe, expect, it } from 'vitest';
import { encodeEscPos, paperColumns } from '../src/devices/printer-escpos.js';
import { indexMenu } from '../src/domain/menu-index.js';
import type { MealDeal } from '../src/domain/offer-types.js';
import { priceOrderWithOffers } from '../src/domain/offers.js';
import type { Order } from '../src/domain/order.js';
import { createShopCalendar } from '../src/domain/shop-calendar.js';
import { type TicketInput, ticketDocument } from '../src/services/kitchen/ticket.js';
import { demoMenu, demoSettings } from '../src/services/shop/demo-shop.js';
import { printedLines, tokenize, unknownTokens } from './escpos.js';
import { offerContext, offerItem, offerLine, offerOption, pricingInput } from './helpers/offer-fixtures.js';

const MENU = indexMenu(demoMenu());

const LUNCH: MealDeal = {
  id: 'lunch',
  name: 'Lunch deal',
  price: { kind: 'fixed', amount: 1200 },
  slots: [
    { name: 'Burger', itemIds: ['cheeseburger'], categoryIds: [] },
    { name: 'Side', itemIds: ['fries'], categoryIds: [] },
    { name: 'Drink', itemIds: ['cola'], categoryIds: [] },
  ],
};

/**
 * Paris, VAT included: a lunch deal (€10.95 + €4.50 + €2.75 of items for €12.00, the large fries' €1.50
 * charged as usual) and two shakes, the second half price.
 */
function discountedOrder(dealName = LUNCH.name): Order {
  const shake = offerItem('shake', 'drinks', 500);
  const input = pricingInput('EUR', [
    offerLine(offerItem('cheeseburger', 'burgers', 1095), 1),
    { ...offerLine(offerItem('fries', 'sides', 450), 1, [offerOption('Large', 150)]), note: 'extra salt' },
    offerLine(offerItem('cola', 'drinks', 275), 1, [], 'drinks'),
    offerLine(shake, 2, [], 'drinks'),
  ]);
  const second = { kind: 'items', itemIds: ['shake'], categoryIds: [] } as const;
  const priced = priceOrderWithOffers(
    input,
    offerContext({
      mealDeals: [{ ...LUNCH, name: dealName }],
      automatic: [
        { kind: 'nth_unit', id: 'half', name: '2nd shake half price', nth: 2, percent: 50, scope: second },
      ],
    }),
  );
  const at = new Date('2026-11-24T11:05:00Z');
  return {
    id: 'ord_deal',
    code: 'D3AL',
    customerId: 'cus_1',
    state: 'paid',
    lines: [],
    nextLine: 1,
    pickup: 'asap',
    pickupSlot: undefined,
    fulfillment: { type: 'pickup' },
    customerName: 'Dee',
    customerPhone: undefined,
    tip: { kind: 'none' },
    currency: 'EUR',
    priced,
    createdAt: at,
    updatedAt: at,
    placedAt: at,
    payment: { method: 'demo_card' },
    version: 3,
  };
}

function printed(
  kind: TicketInput['kind'],
  paper: 58 | 80,
  extra: Partial<TicketInput> = {},
  order = discountedOrder(),
) {
  const settings = demoSettings();
  const calendar = createShopCalendar(settings.hours);
  const width = paperColumns(paper);
  const input: TicketInput = {
    order,
    kind,
    reprint: false,
    settings,
    menu: MENU,
    orderUrl: 'https://burgers.example.com/o/ord_deal',
    formatTime: (instant) => calendar.formatLocal(instant, settings.profile.locale),
    ...extra,
  };
  const tokens = tokenize(encodeEscPos(ticketDocument(input, width), width).bytes);
  expect(unknownTokens(tokens)).toEqual([]);
  const lines = printedLines(tokens);
  expect(lines.every((l) => l.text.length <= (l.size === 2 ? width / 2 : width))).toBe(true);
  return lines.map((l) => l.text);
}

/** The text of a two-column row: left words, spaces, right words. */
const row = (left: string, right: string) => new RegExp(`^${left} +${right.replace(/[.$]/g, '\\$&')}$`);

describe('a discounted order on paper', () => {
  it.each([58, 80] as const)(
    'puts a meal deal parts under its name on the kitchen ticket (%i mm)',
    (paper) => {
      const lines = printed('ticket', paper);
      const deal = lines.indexOf('1 x Lunch deal');
      expect(deal).toBeGreaterThan(0);
      // The parts in order, each indented under the deal with its options, note and allergens as always.
      const parts = lines.slice(deal + 1, lines.indexOf('2 x shake'));
      expect(parts.filter((l) => !l.startsWith('     ALLERGENS') && !l.startsWith('      '))).toEqual([
        '   1 x cheeseburger',
        '   1 x fries',
        '     + Large',
        '     NOTE: extra salt',
        '   1 x cola',
      ]);
      expect(lines).toContain('2 x shake');
      expect(lines.find((l) => l.startsWith('Offers'))).toMatch(row('Offers', '-€8.70'));
      expect(lines.find((l) => l.startsWith('PAID'))).toMatch(row('PAID', '€21.00'));
    },
  );

  it('shows each line price with its discount and each offer in the totals on the receipt', () => {
    const lines = printed('receipt', 80);
    const deal = lines.indexOf('1 x Lunch deal');
    expect(lines.slice(deal + 1, deal + 9)).toEqual([
      expect.stringMatching(row('  1 x cheeseburger', '€10.95')),
      expect.stringMatching(row('    Discount', '-€3.73')),
      expect.stringMatching(row('  1 x fries', '€6.00')),
      '    + Large',
      expect.stringMatching(row('    Discount', '-€1.53')),
      expect.stringMatching(row('  1 x cola', '€2.75')),
      expect.stringMatching(row('    Discount', '-€0.94')),
      expect.stringMatching(row('2 x shake', '€10.00')),
    ]);
    expect(lines[deal + 9]).toMatch(row('  Discount', '-€2.50'));
    const items = lines.findIndex((l) => l.startsWith('Items'));
    expect(lines.slice(items, items + 4)).toEqual([
      expect.stringMatching(row('Items', '€29.70')),
      expect.stringMatching(row('Lunch deal', '-€6.20')),
      expect.stringMatching(row('2nd shake half price', '-€2.50')),
      expect.stringMatching(row('Subtotal', '€21.00')),
    ]);
    expect(lines.find((l) => l.startsWith('PAID'))).toMatch(row('PAID', '€21.00'));
  });

  it('keeps a station ticket to its own parts, still under the deal name and without prices', () => {
    const station = { stationId: 2, name: 'Bar', part: 2, parts: 2, lines: [2, 3] };
    const lines = printed('ticket', 58, { station });
    const deal = lines.indexOf('1 x Lunch deal');
    expect(lines.slice(deal, deal + 3)).toEqual(['1 x Lunch deal', '   1 x cola', '2 x shake']);
    expect(lines.some((l) => l.includes('€') || l.includes('cheeseburger'))).toBe(false);
  });

  it.each([58, 80] as const)('cleans an owner-typed deal name of printer commands (%i mm)', (paper) => {
    const order = discountedOrder(
      'Lunch\x1b@\x1dV\x00 deal\u202e \x1bp\x00\x19\xfa for everyone who likes a very long name',
    );
    for (const kind of ['ticket', 'receipt'] as const) {
      const lines = printed(kind, paper, {}, order);
      const deal = lines.find((l) => l.startsWith('1 x Lunch'));
      expect(deal).toMatch(/^1 x Lunch@V deal p/);
    }
  });
});
