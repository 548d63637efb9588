import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { definePackedJsonFunctions, JSON_DICTIONARIES, packJson, unpackJson } from './packed-json.js';

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
