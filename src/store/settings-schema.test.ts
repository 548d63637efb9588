import { describe, expect, it } from 'vitest';
import { DELIVERY_DEFAULTS } from '../domain/shop-settings.js';
import { demoSettings } from '../services/shop/demo-shop.js';
import { openStore } from './database.js';
import { createSettingsRepo } from './settings-repo.js';
import { settingsSections } from './settings-schema.js';

const clock = { now: () => new Date('2026-11-24T17:00:00Z') };

describe('delivery settings', () => {
  const valid = { enabled: true, feeMinor: 399, minimumMinor: 1500, postalCodes: ['10001'], leadMinutes: 20 };

  it('refuse delivery switched on with no postal code, a negative fee and a malformed code', () => {
    expect(settingsSections.delivery.safeParse(valid).success).toBe(true);
    const nowhere = settingsSections.delivery.safeParse({ ...valid, postalCodes: [] });
    expect(nowhere.error?.issues.map((i) => i.path)).toEqual([['postalCodes']]);
    // Off, an empty area is fine: that is how a shop starts.
    expect(settingsSections.delivery.safeParse({ ...valid, enabled: false, postalCodes: [] }).success).toBe(
      true,
    );
    expect(settingsSections.delivery.safeParse({ ...valid, feeMinor: -1 }).success).toBe(false);
    expect(settingsSections.delivery.safeParse({ ...valid, feeMinor: 3.5 }).success).toBe(false);
    expect(settingsSections.delivery.safeParse({ ...valid, postalCodes: ['10001;DROP'] }).success).toBe(
      false,
    );
    expect(settingsSections.delivery.safeParse({ ...valid, leadMinutes: 241 }).success).toBe(false);
  });

  it('are read as delivery off from settings written before delivery existed, and saved like any section', () => {
    const store = openStore({ file: ':memory:' });
    try {
      const repo = createSettingsRepo({ store, clock });
      repo.saveAll(demoSettings());
      store.db.prepare("DELETE FROM settings WHERE key = 'delivery'").run();
      expect(repo.load()?.delivery).toEqual(DELIVERY_DEFAULTS);
      repo.saveSection('delivery', valid);
      expect(repo.load()?.delivery).toEqual(valid);
      expect(() => repo.saveSection('delivery', { ...valid, postalCodes: [] })).toThrow(/postal code/);
      expect(repo.load()?.delivery).toEqual(valid);
    } finally {
      store.close();
    }
  });
});
