import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import type { Daypart, Weekday } from './catalog.js';
import { addDays, createShopCalendar, parseClock, weekdayOf } from './shop-calendar.js';
import type { OpeningHours, TimeRange } from './shop-settings.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

function weekly(byDay: Partial<Record<Weekday, readonly TimeRange[]>>): OpeningHours['weekly'] {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...byDay };
}

const lunchAndLate = [
  { open: '11:00', close: '14:00' },
  { open: '18:00', close: '02:00' },
];

/** A Paris burger bar: lunch and a late service past midnight on weekdays, Saturday all day, Sunday closed. */
const paris: OpeningHours = {
  timezone: 'Europe/Paris',
  weekly: weekly({
    mon: lunchAndLate,
    tue: lunchAndLate,
    wed: lunchAndLate,
    thu: lunchAndLate,
    fri: lunchAndLate,
    sat: [{ open: '00:00', close: '24:00' }],
  }),
  exceptions: [
    { date: '2026-12-24', ranges: [{ open: '11:00', close: '15:00' }], note: 'Christmas Eve' },
    { date: '2026-12-25', ranges: [], note: 'Christmas' },
    { date: '2026-03-14', ranges: [], note: 'Inventory (a Saturday)' },
  ],
};

const allDay = [{ open: '00:00', close: '24:00' }];
const always = (timezone: string): OpeningHours => ({
  timezone,
  weekly: weekly({
    mon: allDay,
    tue: allDay,
    wed: allDay,
    thu: allDay,
    fri: allDay,
    sat: allDay,
    sun: allDay,
  }),
  exceptions: [],
});

describe('date helpers', () => {
  it('parses clock times, including 24:00', () => {
    expect([parseClock('00:00'), parseClock('07:05'), parseClock('18:30'), parseClock('24:00')]).toEqual([
      0, 425, 1110, 1440,
    ]);
  });

  it('adds days across month and year ends and names weekdays', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-03-09')).toBe('mon');
    expect(weekdayOf('2026-03-08')).toBe('sun');
  });
});

describe('localParts', () => {
  it('reads the wall clock of the shop, not UTC', () => {
    const paris = createShopCalendar(always('Europe/Paris'));
    expect(paris.localParts(at('2026-03-09T10:30:00Z'))).toEqual({
      date: '2026-03-09',
      weekday: 'mon',
      minutes: 690,
    });
    const newYork = createShopCalendar(always('America/New_York'));
    // Already daylight time on March 9: UTC-4, so 03:30Z is still Sunday evening.
    expect(newYork.localParts(at('2026-03-09T03:30:00Z'))).toEqual({
      date: '2026-03-08',
      weekday: 'sun',
      minutes: 1410,
    });
  });
});

describe('toInstant', () => {
  const parisCalendar = createShopCalendar(always('Europe/Paris'));
  const newYork = createShopCalendar(always('America/New_York'));

  it('uses winter and summer offsets on either side of the change', () => {
    expect(iso(parisCalendar.toInstant('2026-03-29', 90))).toBe('2026-03-29T00:30:00.000Z');
    expect(iso(parisCalendar.toInstant('2026-03-29', 180))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(newYork.toInstant('2026-03-08', 720))).toBe('2026-03-08T16:00:00.000Z');
    expect(iso(newYork.toInstant('2026-01-15', 720))).toBe('2026-01-15T17:00:00.000Z');
  });

  it('moves a wall time inside the spring-forward gap forward by the gap', () => {
    expect(iso(parisCalendar.toInstant('2026-03-29', 150))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(newYork.toInstant('2026-03-08', 150))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the first of a repeated fall-back time', () => {
    expect(iso(parisCalendar.toInstant('2026-10-25', 150))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(parisCalendar.toInstant('2026-10-25', 180))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(newYork.toInstant('2026-11-01', 90))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('rolls minutes past 24:00 into the next day', () => {
    expect(iso(parisCalendar.toInstant('2026-07-01', 1440))).toBe('2026-07-01T22:00:00.000Z');
    expect(iso(parisCalendar.toInstant('2026-07-01', 1440 + 120))).toBe('2026-07-02T00:00:00.000Z');
  });
});

describe('isOpen, nextOpening, closesAt', () => {
  const calendar = createShopCalendar(paris);

  it('opens at the start of a range and closes at its end', () => {
    // Monday 9 March 2026, CET (UTC+1).
    expect(calendar.isOpen(at('2026-03-09T09:59:00Z'))).toBe(false);
    expect(calendar.isOpen(at('2026-03-09T10:00:00Z'))).toBe(true);
    expect(calendar.isOpen(at('2026-03-09T12:59:00Z'))).toBe(true);
    expect(calendar.isOpen(at('2026-03-09T13:00:00Z'))).toBe(false);
  });

  it('answers the same all through a minute, and anew at the next, in any order of asking', () => {
    const fresh = createShopCalendar(paris);
    expect(fresh.isOpen(at('2026-03-09T09:59:00.000Z'))).toBe(false);
    expect(fresh.isOpen(at('2026-03-09T09:59:59.999Z'))).toBe(false);
    expect(fresh.isOpen(at('2026-03-09T10:00:00.000Z'))).toBe(true);
    expect(fresh.isOpen(at('2026-03-09T09:59:30.000Z'))).toBe(false);
    expect(fresh.isOpen(at('2026-03-09T12:59:59.999Z'))).toBe(true);
    expect(fresh.isOpen(at('2026-03-09T13:00:00.000Z'))).toBe(false);
  });

  it('keeps a range that closes before it opens running past midnight', () => {
    // Monday 18:00 to Tuesday 02:00 local.
    expect(calendar.isOpen(at('2026-03-10T00:30:00Z'))).toBe(true);
    expect(calendar.isOpen(at('2026-03-10T00:59:00Z'))).toBe(true);
    expect(calendar.isOpen(at('2026-03-10T01:00:00Z'))).toBe(false);
    expect(iso(calendar.closesAt(at('2026-03-09T22:00:00Z')))).toBe('2026-03-10T01:00:00.000Z');
  });

  it('lets Friday night run into a Saturday that is closed by an exception', () => {
    // Saturday 14 March is closed, but Friday 18:00–02:00 belongs to Friday.
    expect(calendar.isOpen(at('2026-03-14T00:30:00Z'))).toBe(true);
    expect(calendar.isOpen(at('2026-03-14T11:00:00Z'))).toBe(false);
    expect(iso(calendar.nextOpening(at('2026-03-14T11:00:00Z')))).toBe('2026-03-16T10:00:00.000Z');
  });

  it('merges Friday night with an all-day Saturday when telling the closing time', () => {
    // Friday 20 March 22:00 local: open until Saturday ends at midnight (Sunday is closed).
    expect(iso(calendar.closesAt(at('2026-03-20T21:00:00Z')))).toBe('2026-03-21T23:00:00.000Z');
    expect(calendar.closesAt(at('2026-03-22T12:00:00Z'))).toBeUndefined();
  });

  it('replaces the weekly hours on exception dates', () => {
    // Christmas Eve (a Thursday): 11:00–15:00 only, no late service.
    expect(calendar.isOpen(at('2026-12-24T13:30:00Z'))).toBe(true);
    expect(calendar.isOpen(at('2026-12-24T18:00:00Z'))).toBe(false);
    expect(calendar.todaysRanges(at('2026-12-24T18:00:00Z'))).toEqual([{ open: '11:00', close: '15:00' }]);
    // Christmas (a Friday) is closed all day; the next opening is Saturday 00:00.
    expect(calendar.isOpen(at('2026-12-25T11:00:00Z'))).toBe(false);
    expect(calendar.todaysRanges(at('2026-12-25T11:00:00Z'))).toEqual([]);
    expect(iso(calendar.nextOpening(at('2026-12-24T15:00:00Z')))).toBe('2026-12-25T23:00:00.000Z');
    expect(calendar.todaysRanges(at('2026-12-23T11:00:00Z'))).toEqual(lunchAndLate);
  });

  it('returns the instant itself when open and the next start when closed', () => {
    expect(iso(calendar.nextOpening(at('2026-03-09T10:15:00Z')))).toBe('2026-03-09T10:15:00.000Z');
    expect(iso(calendar.nextOpening(at('2026-03-09T14:00:00Z')))).toBe('2026-03-09T17:00:00.000Z');
  });

  it('finds Monday lunch across the spring-forward weekend', () => {
    // Sunday 29 March is closed and the clocks change; Monday 11:00 is CEST (UTC+2).
    expect(iso(calendar.nextOpening(at('2026-03-29T10:00:00Z')))).toBe('2026-03-30T09:00:00.000Z');
  });

  it('gives up after 14 days without an opening', () => {
    const closed: OpeningHours = { timezone: 'Europe/Paris', weekly: weekly({}), exceptions: [] };
    expect(createShopCalendar(closed).nextOpening(at('2026-03-09T10:00:00Z'))).toBeUndefined();
  });

  it('shortens a night range by the hour lost to daylight saving time', () => {
    const newYork = createShopCalendar({
      timezone: 'America/New_York',
      weekly: weekly({ sat: [{ open: '20:00', close: '04:00' }] }),
      exceptions: [],
    });
    // Saturday 7 March 20:00 EST is 01:00Z; Sunday 04:00 EDT is 08:00Z.
    expect(newYork.isOpen(at('2026-03-08T01:00:00Z'))).toBe(true);
    expect(newYork.isOpen(at('2026-03-08T07:59:00Z'))).toBe(true);
    expect(newYork.isOpen(at('2026-03-08T08:00:00Z'))).toBe(false);
    expect(iso(newYork.closesAt(at('2026-03-08T03:00:00Z')))).toBe('2026-03-08T08:00:00.000Z');
  });

  it('reads a range whose close equals its open as 24 hours from the open', () => {
    const roundTheClock = createShopCalendar({
      timezone: 'Europe/Paris',
      weekly: weekly({ mon: [{ open: '06:00', close: '06:00' }] }),
      exceptions: [],
    });
    expect(roundTheClock.isOpen(at('2026-03-10T04:59:00Z'))).toBe(true);
    expect(roundTheClock.isOpen(at('2026-03-10T05:00:00Z'))).toBe(false);
    expect(iso(roundTheClock.closesAt(at('2026-03-09T05:00:00Z')))).toBe('2026-03-10T05:00:00.000Z');
  });

  it('treats 00:00–24:00 every day as always open, across DST', () => {
    const calendar247 = createShopCalendar(always('Europe/Paris'));
    for (const instant of ['2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:30:00Z']) {
      expect(calendar247.isOpen(at(instant))).toBe(true);
    }
    expect(iso(calendar247.nextOpening(at('2026-03-29T01:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(calendar247.closesAt(at('2026-03-29T01:00:00Z'))).toBeUndefined();
  });

  it('rejects an unknown time zone with a typed error', () => {
    expect(() => createShopCalendar(always('Mars/Olympus'))).toThrow(AppError);
    try {
      createShopCalendar(always('Mars/Olympus'));
    } catch (error) {
      expect((error as AppError).code).toBe('invalid_input');
    }
  });
});

describe('dayparts', () => {
  const breakfast: Daypart = {
    id: 'breakfast',
    name: 'Breakfast',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '06:00',
    end: '11:00',
  };
  const lateNight: Daypart = {
    id: 'late',
    name: 'Late night',
    days: ['fri', 'sat'],
    start: '22:00',
    end: '02:00',
  };
  const calendar = createShopCalendar(paris);

  it('is inside a daypart from its start (inclusive) to its end (exclusive) on its days', () => {
    expect(calendar.isInDaypart(breakfast, at('2026-03-09T05:00:00Z'))).toBe(true);
    expect(calendar.isInDaypart(breakfast, at('2026-03-09T04:59:00Z'))).toBe(false);
    expect(calendar.isInDaypart(breakfast, at('2026-03-09T10:00:00Z'))).toBe(false);
    expect(calendar.isInDaypart(breakfast, at('2026-03-14T07:00:00Z'))).toBe(false);
  });

  it('runs a late-night daypart past midnight into the next day', () => {
    // Saturday 01:30 (from Friday) and Sunday 01:30 (from Saturday) are inside; Monday 01:30 is not.
    expect(calendar.isInDaypart(lateNight, at('2026-03-14T00:30:00Z'))).toBe(true);
    expect(calendar.isInDaypart(lateNight, at('2026-03-15T00:30:00Z'))).toBe(true);
    expect(calendar.isInDaypart(lateNight, at('2026-03-16T00:30:00Z'))).toBe(false);
  });

  it('finds the next start, or the instant itself inside the daypart', () => {
    expect(iso(calendar.nextDaypartStart(breakfast, at('2026-03-09T11:00:00Z')))).toBe(
      '2026-03-10T05:00:00.000Z',
    );
    expect(iso(calendar.nextDaypartStart(breakfast, at('2026-03-13T11:00:00Z')))).toBe(
      '2026-03-16T05:00:00.000Z',
    );
    expect(iso(calendar.nextDaypartStart(lateNight, at('2026-03-13T22:00:00Z')))).toBe(
      '2026-03-13T22:00:00.000Z',
    );
  });

  it('uses the new offset for a daypart start after the clocks change', () => {
    const newYork = createShopCalendar(always('America/New_York'));
    const everyDay: Daypart = { ...breakfast, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] };
    // Saturday 7 March 12:00 EST → Sunday 8 March 06:00 EDT (UTC-4).
    expect(iso(newYork.nextDaypartStart(everyDay, at('2026-03-07T17:00:00Z')))).toBe(
      '2026-03-08T10:00:00.000Z',
    );
  });
});

describe('formatLocal', () => {
  it('formats in the shop time zone and the given locale', () => {
    const calendar = createShopCalendar(paris);
    expect(calendar.formatLocal(at('2026-03-09T10:00:00Z'), 'en-GB')).toBe('Mon 9 Mar, 11:00');
    const newYork = createShopCalendar(always('America/New_York'));
    expect(newYork.formatLocal(at('2026-03-09T10:00:00Z'), 'en-US').replace(/\s/g, ' ')).toBe(
      'Mon, Mar 9, 6:00 AM',
    );
  });
});
