import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';

/**
 * JSON kept deflated in a BLOB, primed with a preset dictionary: deflate then stores little more than
 * the values. With 512-byte pages a row over 477 bytes takes an overflow page, written again with the
 * row; packed, an order's prices (729 bytes of JSON for two lines) take 200 and a checkout session's
 * draft (384) 101, so they share a page instead of each taking two. A row keeps the dictionary it was
 * packed with for good: a released dictionary never changes (packed-json.test.ts pins each one).
 */
export function packJson(text: string, dictionary: Buffer): Buffer {
  return deflateRawSync(text, { dictionary });
}

/** `dictionary` undefined: packed without one (idempotency answers an older build wrote). */
export function unpackJson(packed: Buffer, dictionary: Buffer | undefined): string {
  return inflateRawSync(packed, dictionary === undefined ? {} : { dictionary }).toString('utf8');
}

/** An order's frozen prices (src/domain/pricing.ts PricedOrder): their keys, not any shop's values. */
const PRICES = {
  currency: 'USD',
  lines: [
    {
      itemId: '',
      name: '',
      quantity: 1,
      options: [{ id: '', name: '', price: 0 }],
      taxRateId: '',
      unitPrice: 0,
      lineTotal: 0,
      discount: 0,
      net: 0,
    },
  ],
  totals: {
    itemsBase: 0,
    subtotal: 0,
    tax: 0,
    taxBreakdown: [{ rateId: '', name: '', percent: 0, amount: 0 }],
    taxIncluded: false,
    fee: 0,
    tip: 0,
    total: 0,
    discount: 0,
  },
  applied: [],
  refused: [],
};

/** A checkout session's draft (src/domain/checkout.ts CheckoutDraft): its keys. */
const CHECKOUT_DRAFT = {
  items: [{ ref: '', itemId: '', optionIds: [''], quantity: 1 }],
  currency: 'USD',
  pickup: 'asap',
  agentCapabilities: {},
  quotedTotal: 0,
  buyer: { full_name: '', email: '', phone_number: '+1' },
  fulfillment: 'pickup',
  placedRefusals: [],
};

/** The dictionary of each packed column, by the name SQL calls it with. */
export const JSON_DICTIONARIES = {
  prices: Buffer.from(JSON.stringify(PRICES)),
  checkout_draft: Buffer.from(JSON.stringify(CHECKOUT_DRAFT)),
} as const;

/** A column of packed JSON: its text packed and unpacked with the column's own dictionary. */
export interface PackedColumn {
  pack(text: string): Buffer;
  unpack(packed: Buffer): string;
}

function packedColumn(dictionary: Buffer): PackedColumn {
  return { pack: (text) => packJson(text, dictionary), unpack: (packed) => unpackJson(packed, dictionary) };
}

/** The packed columns: an order's prices (`order_prices.priced`), a session's draft (`checkout_sessions.data`). */
export const PACKED_COLUMNS: Readonly<Record<keyof typeof JSON_DICTIONARIES, PackedColumn>> = {
  prices: packedColumn(JSON_DICTIONARIES.prices),
  checkout_draft: packedColumn(JSON_DICTIONARIES.checkout_draft),
};

function columnOf(kind: unknown): PackedColumn {
  const name = String(kind);
  if (!Object.hasOwn(PACKED_COLUMNS, name)) throw new Error(`no JSON dictionary named ${name}`);
  return PACKED_COLUMNS[name as keyof typeof PACKED_COLUMNS];
}

/**
 * `packed_json(kind, text)` and `unpacked_json(kind, blob)` for SQL on `db`: the migration that packs
 * older rows, and queries that read inside packed JSON (json_each over an order's applied offers).
 */
export function definePackedJsonFunctions(db: Database.Database): void {
  db.function('packed_json', { deterministic: true }, (kind, text) => columnOf(kind).pack(String(text)));
  db.function('unpacked_json', { deterministic: true }, (kind, packed) =>
    packed instanceof Buffer ? columnOf(kind).unpack(packed) : null,
  );
}
