import { describe, expect, it } from 'vitest';
import {
  addressLine,
  arrivalWindow,
  deliversTo,
  deliveryWindow,
  normalizePostalCode,
  PICKUP,
} from './delivery.js';

describe('delivery area and timing', () => {
  const area = { postalCodes: ['10001', 'SW1A 1AA'] };

  it('matches postal codes whatever their case and spacing, and a ZIP+4 by its ZIP', () => {
    expect(normalizePostalCode(' sw1a 1aa ')).toBe('SW1A1AA');
    expect(deliversTo(area, '10001')).toBe(true);
    expect(deliversTo(area, '10001-1234')).toBe(true);
    expect(deliversTo(area, 'sw1a1aa')).toBe(true);
    expect(deliversTo(area, '10002')).toBe(false);
    expect(deliversTo(area, '1000')).toBe(false);
    expect(deliversTo(area, '')).toBe(false);
    expect(deliversTo({ postalCodes: [] }, '10001')).toBe(false);
  });

  it('starts the window the trip’s minutes after the kitchen slot, one slot long', () => {
    const slot = new Date('2026-11-24T17:30:00Z');
    expect(deliveryWindow(slot, 20, 15)).toEqual({
      start: new Date('2026-11-24T17:50:00Z'),
      end: new Date('2026-11-24T18:05:00Z'),
    });
    const address = {
      name: 'Ada',
      line1: '1 Main St',
      city: 'Springfield',
      region: 'NY',
      country: 'US',
      postalCode: '10001',
    };
    expect(arrivalWindow({ type: 'delivery', address, leadMinutes: 20 }, slot, 15)?.start).toEqual(
      new Date('2026-11-24T17:50:00Z'),
    );
    expect(arrivalWindow(PICKUP, slot, 15)).toBeUndefined();
    expect(arrivalWindow({ type: 'delivery', address, leadMinutes: 20 }, undefined, 15)).toBeUndefined();
    expect(addressLine({ ...address, line2: 'Apt 2' })).toBe('1 Main St, Apt 2, 10001 Springfield');
  });
});
