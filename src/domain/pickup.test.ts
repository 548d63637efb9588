import { describe, expect, it } from 'vitest';
import type { Weekday } from './catalog.js';
import {
  earliestPickup,
  listPickupSlots,
  type PickupContext,
  parsePickupTime,
  resolvePickup,
} from './pickup.js';
import { createShopCalendar } from './shop-calendar.js';
import type { OpeningHours, PickupSettings, TimeRange } from './shop-settings.js';

function weekly(ranges: readonly TimeRange[], closed: readonly Weekday[] = []): OpeningHours['weekly'] {
  const day = (d: Weekday) => (closed.includes(d) ? [] : ranges);
  return {
    mon: day('mon'),
    tue: day('tue'),
    wed: day('wed'),
    thu: day('thu'),
    fri: day('fri'),
    sat: day('sat'),
    sun: day('sun'),
  };
}

/** Paris (UTC+1 in early March): lunch and dinner, closed on Sundays. */
const paris = createShopCalendar({
  timezone: 'Europe/Paris',
  weekly: weekly(
    [
      { open: '11:00', close: '14:00' },
      { open: '18:00', close: '22:00' },
    ],
    ['sun'],
  ),
  exceptions: [],
});
const settings: PickupSettings = { leadMinutes: 15, slotMinutes: 15, slotCapacity: 2, maxDaysAhead: 2 };

function context(
  now: string,
  extra: Partial<PickupContext> = {},
  usage: Record<string, number> = {},
): PickupContext {
  return {
    now: new Date(now),
    calendar: paris,
    settings,
    slotUsage: (slot) => usage[slot.toISOString()] ?? 0,
    locale: 'en-GB',
    ...extra,
  };
}

const iso = (date: Date | undefined) => date?.toISOString();
// Monday 9 March 2026, 12:05 in Paris.
const mondayNoon = '2026-03-09T11:05:00Z';

describe('earliestPickup', () => {
  it('adds the lead time and rounds up to the next slot boundary', () => {
    expect(iso(earliestPickup(context(mondayNoon)))).toBe('2026-03-09T11:30:00.000Z');
    expect(iso(earliestPickup(context('2026-03-09T11:00:00Z')))).toBe('2026-03-09T11:15:00.000Z');
    // 12:00:30 + 15 min = 12:15:30, which rounds up to 12:30.
    expect(iso(earliestPickup(context('2026-03-09T11:00:30Z')))).toBe('2026-03-09T11:30:00.000Z');
  });

  it('starts from the next opening plus the lead when the kitchen is closed or about to close', () => {
    // 09:00 → opens 11:00 → 11:15
    expect(iso(earliestPickup(context('2026-03-09T08:00:00Z')))).toBe('2026-03-09T10:15:00.000Z');
    // 13:50 + 15 = 14:05, after lunch closes → dinner 18:00 + 15 = 18:15
    expect(iso(earliestPickup(context('2026-03-09T12:50:00Z')))).toBe('2026-03-09T17:15:00.000Z');
    // Saturday 21:50 → Sunday closed → Monday 11:15
    expect(iso(earliestPickup(context('2026-03-14T20:50:00Z')))).toBe('2026-03-16T10:15:00.000Z');
  });
});

describe('resolvePickup', () => {
  it('books asap into the earliest slot that has room', () => {
    expect(resolvePickup(context(mondayNoon), 'asap')).toEqual({
      ok: true,
      slotStart: new Date('2026-03-09T11:30:00Z'),
    });
    const full = context(mondayNoon, {}, { '2026-03-09T11:30:00.000Z': 2, '2026-03-09T11:45:00.000Z': 3 });
    expect(iso((resolvePickup(full, 'ASAP') as { slotStart: Date }).slotStart)).toBe(
      '2026-03-09T12:00:00.000Z',
    );
  });

  it('books a requested time into the slot that holds it', () => {
    expect(resolvePickup(context(mondayNoon), '2026-03-09T13:07')).toEqual({
      ok: true,
      slotStart: new Date('2026-03-09T12:00:00Z'),
    });
    expect(resolvePickup(context(mondayNoon), '2026-03-09T12:07:00Z')).toEqual({
      ok: true,
      slotStart: new Date('2026-03-09T12:00:00Z'),
    });
    expect(resolvePickup(context(mondayNoon), '2026-03-09T12:40')).toEqual({
      ok: true,
      slotStart: new Date('2026-03-09T11:30:00Z'),
    });
  });

  it('refuses a time in the past and offers the earliest pickup', () => {
    expect(resolvePickup(context(mondayNoon), '2026-03-09T11:30')).toEqual({
      ok: false,
      violation: {
        code: 'pickup_in_past',
        message: 'Mon 9 Mar, 11:30 has already passed.',
        path: 'pickupTime',
        suggestion: 'The earliest pickup is Mon 9 Mar, 12:30.',
      },
    });
  });

  it('refuses a time before the kitchen can be ready', () => {
    expect(resolvePickup(context(mondayNoon), '2026-03-09T12:20')).toEqual({
      ok: false,
      violation: {
        code: 'pickup_too_soon',
        message: 'The kitchen needs 15 minutes; Mon 9 Mar, 12:20 is too soon.',
        path: 'pickupTime',
        suggestion: 'The earliest pickup is Mon 9 Mar, 12:30.',
      },
    });
  });

  it('refuses a time outside opening hours and offers the next open slot', () => {
    const afternoon = resolvePickup(context(mondayNoon), '2026-03-09T15:00');
    expect(afternoon).toEqual({
      ok: false,
      violation: {
        code: 'pickup_outside_hours',
        message: 'The shop is closed at Mon 9 Mar, 15:00.',
        path: 'pickupTime',
        suggestion: 'The next pickup is Mon 9 Mar, 18:00.',
      },
    });
    // 14:00 is the closing time: its slot is not open.
    const closing = resolvePickup(context(mondayNoon), '2026-03-09T14:00');
    expect(closing.ok ? undefined : closing.violation.code).toBe('pickup_outside_hours');
    const tuesdayMorning = resolvePickup(context(mondayNoon), '2026-03-10T10:30');
    expect(tuesdayMorning.ok ? undefined : tuesdayMorning.violation.suggestion).toBe(
      'The next pickup is Tue 10 Mar, 11:00.',
    );
  });

  it('refuses a day beyond maxDaysAhead, counted in local dates', () => {
    expect(resolvePickup(context(mondayNoon), '2026-03-11T21:00').ok).toBe(true);
    const result = resolvePickup(context(mondayNoon), '2026-03-12T12:00');
    expect(result.ok ? undefined : result.violation).toEqual({
      code: 'pickup_too_far',
      message: 'Pickup can be booked at most 2 days ahead, until 2026-03-11.',
      path: 'pickupTime',
      suggestion: 'The earliest pickup is Mon 9 Mar, 12:30.',
    });
  });

  it('refuses a full slot and offers the next free one; capacity 0 is unlimited', () => {
    const usage = { '2026-03-09T12:00:00.000Z': 2, '2026-03-09T12:15:00.000Z': 2 };
    expect(resolvePickup(context(mondayNoon, {}, usage), '2026-03-09T13:00')).toEqual({
      ok: false,
      violation: {
        code: 'pickup_slot_full',
        message: 'The Mon 9 Mar, 13:00 pickup slot is full.',
        path: 'pickupTime',
        suggestion: 'The next free slot is Mon 9 Mar, 13:30.',
      },
    });
    expect(
      resolvePickup(context(mondayNoon, {}, { '2026-03-09T12:00:00.000Z': 1 }), '2026-03-09T13:00').ok,
    ).toBe(true);
    const unlimited = context(mondayNoon, { settings: { ...settings, slotCapacity: 0 } }, usage);
    expect(resolvePickup(unlimited, '2026-03-09T13:00').ok).toBe(true);
  });

  it('refuses text that is not a time', () => {
    for (const text of ['tomorrow at noon', '2026-02-30T12:00', '2026-03-09T25:00']) {
      const result = resolvePickup(context(mondayNoon), text);
      expect(result.ok ? undefined : result.violation.code).toBe('invalid_input');
    }
  });

  it('says so when no pickup time is left before the booking horizon', () => {
    const todayOnly = context('2026-03-14T20:50:00Z', { settings: { ...settings, maxDaysAhead: 0 } });
    expect(resolvePickup(todayOnly, 'asap')).toEqual({
      ok: false,
      violation: {
        code: 'pickup_outside_hours',
        message: 'The shop has no pickup times left until 2026-03-14.',
        path: 'pickupTime',
        suggestion: undefined,
      },
    });
  });
});

describe('parsePickupTime', () => {
  it('reads a time without offset as shop time and keeps explicit offsets', () => {
    expect(iso(parsePickupTime('2026-03-09T12:30', paris))).toBe('2026-03-09T11:30:00.000Z');
    expect(iso(parsePickupTime('2026-03-09 12:30:15', paris))).toBe('2026-03-09T11:30:15.000Z');
    expect(iso(parsePickupTime('2026-03-09T12:30:00-0500', paris))).toBe('2026-03-09T17:30:00.000Z');
    expect(iso(parsePickupTime('2026-03-09T12:30:00.000z', paris))).toBe('2026-03-09T12:30:00.000Z');
  });
});

describe('listPickupSlots', () => {
  it('lists the next bookable slots with what is left in each, skipping full ones', () => {
    const usage = { '2026-03-09T11:45:00.000Z': 2, '2026-03-09T12:00:00.000Z': 1 };
    const slots = listPickupSlots(context(mondayNoon, {}, usage), 4);
    expect(slots.map((s) => [iso(s.start), s.remaining])).toEqual([
      ['2026-03-09T11:30:00.000Z', 2],
      ['2026-03-09T12:00:00.000Z', 1],
      ['2026-03-09T12:15:00.000Z', 2],
      ['2026-03-09T12:30:00.000Z', 2],
    ]);
  });

  it('jumps over the afternoon break and reports unlimited capacity as undefined', () => {
    const unlimited = context('2026-03-09T12:20:00Z', { settings: { ...settings, slotCapacity: 0 } });
    expect(listPickupSlots(unlimited, 3).map((s) => [iso(s.start), s.remaining])).toEqual([
      ['2026-03-09T12:45:00.000Z', undefined],
      ['2026-03-09T17:00:00.000Z', undefined],
      ['2026-03-09T17:15:00.000Z', undefined],
    ]);
  });

  it('stops at the booking horizon', () => {
    const todayOnly = context('2026-03-09T20:30:00Z', { settings: { ...settings, maxDaysAhead: 0 } });
    // 21:30 + 15 → 21:45 is the last slot before 22:00.
    expect(listPickupSlots(todayOnly, 10).map((s) => iso(s.start))).toEqual(['2026-03-09T20:45:00.000Z']);
  });

  it('keeps slots aligned to local time across the New York DST changes', () => {
    const allDay = [{ open: '00:00', close: '24:00' }];
    const newYork = createShopCalendar({
      timezone: 'America/New_York',
      weekly: weekly(allDay),
      exceptions: [],
    });
    const half = { leadMinutes: 15, slotMinutes: 30, slotCapacity: 0, maxDaysAhead: 1 };
    // Spring forward: 01:20 EST + 15 → 02:00 does not exist → 03:00 EDT.
    const spring = context('2026-03-08T06:20:00Z', { calendar: newYork, settings: half });
    expect(listPickupSlots(spring, 3).map((s) => iso(s.start))).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:30:00.000Z',
      '2026-03-08T08:00:00.000Z',
    ]);
    // Fall back: 01:30 EDT, then the repeated 01:00 and 01:30 in EST, then 02:00 EST.
    const autumn = context('2026-11-01T05:10:00Z', { calendar: newYork, settings: half });
    expect(listPickupSlots(autumn, 4).map((s) => iso(s.start))).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('restarts slots at local midnight when the slot length does not divide the day', () => {
    const allDay = [{ open: '00:00', close: '24:00' }];
    const open = createShopCalendar({ timezone: 'Europe/Paris', weekly: weekly(allDay), exceptions: [] });
    const odd = { leadMinutes: 0, slotMinutes: 50, slotCapacity: 0, maxDaysAhead: 1 };
    // 23:10 local (UTC+1): slots at 23:20, then 00:00 and 00:50 the next day.
    const late = context('2026-03-09T22:10:00Z', { calendar: open, settings: odd });
    expect(listPickupSlots(late, 3).map((s) => iso(s.start))).toEqual([
      '2026-03-09T22:20:00.000Z',
      '2026-03-09T23:00:00.000Z',
      '2026-03-09T23:50:00.000Z',
    ]);
  });
});
