import { describe, expect, it } from 'vitest';
import type { Violation } from '../../domain/app-error.js';
import type { DeliveryAddress } from '../../domain/delivery.js';
import type { Order } from '../../domain/order.js';
import { demoSettings } from '../shop/demo-shop.js';
import { chooseFulfillment, placedFulfillment, repeatFulfillment } from './order-fulfillment.js';

const settings = demoSettings();
const address: DeliveryAddress = {
  name: '',
  line1: '1 Main St',
  city: 'Springfield',
  region: '',
  country: '',
  postalCode: '10001',
};
const delivery = { type: 'delivery' as const, address, leadMinutes: 5 };
const order = {
  customerName: 'Ada Lovelace',
  customerPhone: '+15557654321',
  fulfillment: delivery,
} as unknown as Order;
const served = (): Violation[] => [];

describe('order fulfillment', () => {
  it('keeps the address on the order when delivery is chosen without one, and refuses when there is none', () => {
    expect(chooseFulfillment(delivery, { type: 'delivery' }, settings, served)).toEqual({
      ...delivery,
      leadMinutes: settings.delivery.leadMinutes,
    });
    const missing: Violation = { code: 'delivery_address_missing', message: 'Delivery needs the address.' };
    const minimum: Violation = { code: 'delivery_minimum', message: 'Below the minimum.' };
    expect(() =>
      chooseFulfillment({ type: 'pickup' }, { type: 'delivery' }, settings, () => [missing, minimum]),
    ).toThrow(expect.objectContaining({ code: 'delivery_address_missing', violations: [missing] }));
    expect(chooseFulfillment(delivery, { type: 'pickup' }, settings, served)).toEqual({ type: 'pickup' });
    expect(chooseFulfillment(delivery, undefined, settings, served)).toBe(delivery);
  });

  it('makes the customer the recipient when placed, but keeps a recipient the checkout named', () => {
    expect(placedFulfillment(order, settings)).toEqual({
      type: 'delivery',
      address: { ...address, name: 'Ada Lovelace', phone: '+15557654321' },
      leadMinutes: settings.delivery.leadMinutes,
    });
    const named = { ...order, fulfillment: { ...delivery, address: { ...address, name: 'Bob' } } };
    expect(placedFulfillment(named, settings)).toMatchObject({ address: { name: 'Bob' } });
    expect(placedFulfillment(named, settings)).not.toHaveProperty('address.phone');
  });

  it('repeats a delivery where the shop still delivers, and otherwise picks up and says why', () => {
    expect(repeatFulfillment(order, served)).toEqual({
      choice: { type: 'delivery', address },
      note: 'Delivery to 1 Main St, 10001 Springfield again, as last time.',
    });
    const off: Violation = {
      code: 'delivery_unavailable',
      message: 'Bun & Done is not delivering right now.',
    };
    expect(repeatFulfillment(order, () => [off])).toEqual({
      choice: { type: 'pickup' },
      note: 'This order is for pickup: last time it was delivered to 1 Main St, 10001 Springfield, but Bun & Done is not delivering right now.',
    });
    expect(repeatFulfillment({ ...order, fulfillment: { type: 'pickup' } }, () => [off])).toEqual({
      choice: { type: 'pickup' },
      note: undefined,
    });
  });
});
