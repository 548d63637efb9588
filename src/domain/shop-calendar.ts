import { AppError } from './app-error.js';
import { type Daypart, WEEKDAYS, type Weekday } from './catalog.js';
import type { OpeningHours, TimeRange } from './shop-settings.js';

/** Where an instant falls on the shop's wall clock. */
export interface LocalParts {
  /** Local calendar date, "YYYY-MM-DD". */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight (0–1439). */
  readonly minutes: number;
}

/** A half-open span of absolute time, `[start, end)`. */
export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

/** Opening hours and dayparts evaluated in the shop's time zone. */
export interface ShopCalendar {
  readonly timezone: string;
  localParts(instant: Date): LocalParts;
  /** The instant a local wall time happens; a time skipped by DST moves forward, a repeated one takes the first. */
  toInstant(date: string, minutes: number): Date;
  isOpen(instant: Date): boolean;
  /** The instant itself when open, else the next opening within 14 days. */
  nextOpening(instant: Date): Date | undefined;
  /** When the current opening ends (contiguous ranges merged); undefined when closed or open for 14+ days. */
  closesAt(instant: Date): Date | undefined;
  /** The ranges that apply to the local date of `instant` (an exception's, else the weekday's). */
  todaysRanges(instant: Date): readonly TimeRange[];
  isInDaypart(daypart: Daypart, instant: Date): boolean;
  /** The instant itself inside the daypart, else its next start within 14 days. */
  nextDaypartStart(daypart: Daypart, instant: Date): Date | undefined;
  /** A short local date and time for messages ("Tue, Mar 10, 7:00 AM"). */
  formatLocal(instant: Date, locale: string): string;
}

const SEARCH_DAYS = 14;
const DAY_MS = 86_400_000;
const DAY_MINUTES = 1440;
const MINUTE_MS = 60_000;
/** Distinct minutes whose zone offset is remembered; past it the memory starts over. */
const MAX_CACHED_OFFSETS = 8192;

/** Minutes since midnight of "HH:MM" ("24:00" → 1440). */
export function parseClock(text: string): number {
  const [hours = 0, minutes = 0] = text.split(':').map(Number);
  return hours * 60 + minutes;
}

function dateFields(date: string): [number, number, number] {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  return [year, month, day];
}

/** Shifts a "YYYY-MM-DD" date by whole days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = dateFields(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The weekday of a "YYYY-MM-DD" date. */
export function weekdayOf(date: string): Weekday {
  const [year, month, day] = dateFields(date);
  const sundayFirst = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7] ?? 'mon';
}

/** Reads the wall-clock fields of an instant in one time zone, with a cached formatter. */
function createFieldReader(timezone: string): (ms: number) => Record<string, string> {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch (cause) {
    throw new AppError('invalid_input', `Unknown time zone "${timezone}".`, { cause });
  }
  return (ms) => {
    const fields: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) fields[part.type] = part.value;
    return fields;
  };
}

type ZoneClock = Pick<ShopCalendar, 'localParts' | 'toInstant'>;

/** Converts between instants and wall times of one zone using Intl offsets only. */
function createZoneClock(timezone: string): ZoneClock {
  const readFields = createFieldReader(timezone);
  // Formatting parts is the costly step: the offset is read once per minute seen (offsets change on
  // minute boundaries) and every wall time of that minute is derived from it.
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const minute = Math.floor(ms / MINUTE_MS);
    const known = offsets.get(minute);
    if (known !== undefined) return known;
    const start = minute * MINUTE_MS;
    const f = readFields(start);
    const wall = Date.UTC(
      +(f.year ?? 0),
      +(f.month ?? 1) - 1,
      +(f.day ?? 1),
      +(f.hour ?? 0),
      +(f.minute ?? 0),
      +(f.second ?? 0),
    );
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(minute, wall - start);
    return wall - start;
  };
  return {
    localParts: (instant) => {
      const local = new Date(instant.getTime() + offsetAt(instant.getTime()));
      const date = local.toISOString().slice(0, 10);
      return { date, weekday: weekdayOf(date), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
    },
    toInstant: (date, minutes) => {
      const [year, month, day] = dateFields(date);
      const wall = Date.UTC(year, month - 1, day, 0, minutes);
      // Offsets a day either side bracket any transition; an offset is right when it maps back to itself.
      const before = offsetAt(wall - DAY_MS);
      const after = offsetAt(wall + DAY_MS);
      const valid = [before, after].filter((offset) => offsetAt(wall - offset) === offset);
      // No valid offset: the wall time falls in a spring-forward gap, so it moves forward by the gap.
      if (valid.length === 0) return new Date(wall - before);
      return new Date(wall - Math.max(...valid));
    },
  };
}

/** Turns the ranges of one local date into absolute intervals, cached by `key` and date. */
function createIntervalBuilder(clock: ZoneClock) {
  const cache = new Map<string, readonly Interval[]>();
  return (key: string, date: string, ranges: readonly TimeRange[]): readonly Interval[] => {
    const cacheKey = `${key}|${date}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const intervals = ranges
      .map((range) => {
        const open = parseClock(range.open);
        const close = parseClock(range.close);
        const end = close <= open ? close + DAY_MINUTES : close;
        return { start: clock.toInstant(date, open), end: clock.toInstant(date, end) };
      })
      .filter((interval) => interval.end > interval.start)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
    if (cache.size > 1000) cache.clear();
    cache.set(cacheKey, intervals);
    return intervals;
  };
}

function createDisplayFormatter(timezone: string): ShopCalendar['formatLocal'] {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (instant, locale) => {
    let format = formats.get(locale);
    if (format === undefined) {
      const options = {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
      } as const;
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone });
      formats.set(locale, format);
    }
    return format.format(instant);
  };
}

/** Builds the calendar of one set of opening hours; create it once per settings change. */
export function createShopCalendar(hours: OpeningHours): ShopCalendar {
  const clock = createZoneClock(hours.timezone);
  const { localParts } = clock;
  const intervalsOn = createIntervalBuilder(clock);
  const exceptions = new Map(hours.exceptions.map((e) => [e.date, e.ranges]));
  const rangesOn = (date: string) => exceptions.get(date) ?? hours.weekly[weekdayOf(date)];
  const openingsOn = (date: string) => intervalsOn('hours', date, rangesOn(date));
  const daypartOn = (daypart: Daypart) => (date: string) =>
    intervalsOn(
      `daypart:${daypart.days.join(',')}:${daypart.start}-${daypart.end}`,
      date,
      daypart.days.includes(weekdayOf(date)) ? [{ open: daypart.start, close: daypart.end }] : [],
    );
  // Openings start and end on whole minutes of whole-minute offsets: open or not holds for a minute.
  let askedMinute = Number.NaN;
  let openThen = false;
  return {
    timezone: hours.timezone,
    localParts,
    toInstant: clock.toInstant,
    isOpen(instant) {
      const minute = Math.floor(instant.getTime() / MINUTE_MS);
      if (minute !== askedMinute) {
        openThen = containing(localParts, openingsOn, instant) !== undefined;
        askedMinute = minute;
      }
      return openThen;
    },
    nextOpening: (instant) => nextStart(localParts, openingsOn, instant),
    closesAt: (instant) => endOfRun(localParts, openingsOn, instant),
    todaysRanges: (instant) => rangesOn(localParts(instant).date),
    isInDaypart: (daypart, instant) => containing(localParts, daypartOn(daypart), instant) !== undefined,
    nextDaypartStart: (daypart, instant) => nextStart(localParts, daypartOn(daypart), instant),
    formatLocal: createDisplayFormatter(hours.timezone),
  };
}

type IntervalsOn = (date: string) => readonly Interval[];

type ToLocal = (instant: Date) => LocalParts;

/** The interval holding `instant`; a range that started yesterday may still run past midnight. */
function containing(localParts: ToLocal, intervalsOn: IntervalsOn, instant: Date): Interval | undefined {
  const { date } = localParts(instant);
  for (const day of [addDays(date, -1), date]) {
    const hit = intervalsOn(day).find((i) => i.start <= instant && instant < i.end);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function nextStart(localParts: ToLocal, intervalsOn: IntervalsOn, instant: Date): Date | undefined {
  if (containing(localParts, intervalsOn, instant) !== undefined) return instant;
  const { date } = localParts(instant);
  for (let offset = -1; offset <= SEARCH_DAYS; offset += 1) {
    const next = intervalsOn(addDays(date, offset)).find((i) => i.start > instant);
    if (next !== undefined) return next.start;
  }
  return undefined;
}

function endOfRun(localParts: ToLocal, intervalsOn: IntervalsOn, instant: Date): Date | undefined {
  let current = containing(localParts, intervalsOn, instant);
  const horizon = instant.getTime() + SEARCH_DAYS * DAY_MS;
  while (current !== undefined) {
    const end = current.end;
    if (end.getTime() > horizon) return undefined;
    current = containing(localParts, intervalsOn, end);
    if (current === undefined) return end;
  }
  return undefined;
}
