import { WEEKDAYS, type Weekday } from '../domain/catalog.js';
import type { OpeningHours, TimeRange } from '../domain/shop-settings.js';
import type { FormValues, SectionForm } from './settings-form.js';

/** Most opening ranges a day may have (the schema's limit). */
export const MAX_RANGES = 6;
/** Most exception rows one form takes. */
const MAX_EXCEPTIONS = 200;

/** "11:00-14:00, 17:00-21:00" for a list of ranges; '' for closed. */
export function rangesText(ranges: readonly TimeRange[]): string {
  return ranges.map((r) => `${r.open}-${r.close}`).join(', ');
}

/** Ranges written as "11:00-14:00, 17:00-21:00"; a part that is not "from-to" stays wrong for the schema. */
export function parseRangesText(text: string): TimeRange[] {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [open = '', close = '', ...rest] = part.split(/\s*[-–—]\s*|\s+to\s+/);
      return rest.length === 0 ? { open, close } : { open: part, close: '' };
    });
}

/** How many exception rows the posted (or filled-in) form has. */
export function exceptionRows(values: FormValues): number {
  let rows = 0;
  while (rows < MAX_EXCEPTIONS && `exceptions.${rows}.date` in values) rows += 1;
  return rows;
}

/** The hours form: a time zone, up to six ranges per weekday, and dated exceptions. */
export const hoursForm: SectionForm<'hours'> = {
  key: 'hours',
  values(s) {
    const out: Record<string, string> = { timezone: s.hours.timezone };
    for (const day of WEEKDAYS) {
      s.hours.weekly[day].forEach((range, i) => {
        out[`weekly.${day}.${i}.open`] = range.open;
        out[`weekly.${day}.${i}.close`] = range.close;
      });
    }
    s.hours.exceptions.forEach((exception, i) => {
      out[`exceptions.${i}.date`] = exception.date;
      out[`exceptions.${i}.ranges`] = rangesText(exception.ranges);
      out[`exceptions.${i}.note`] = exception.note ?? '';
    });
    return out;
  },
  build(v) {
    // Empty rows are left out; the row each kept one came from places the schema's problems.
    const rowsOf = {} as Record<Weekday, number[]>;
    const weekly = {} as Record<Weekday, TimeRange[]>;
    for (const day of WEEKDAYS) {
      rowsOf[day] = [];
      weekly[day] = [];
      for (let i = 0; i < MAX_RANGES; i += 1) {
        const open = v[`weekly.${day}.${i}.open`] ?? '';
        const close = v[`weekly.${day}.${i}.close`] ?? '';
        if (open === '' && close === '') continue;
        rowsOf[day].push(i);
        weekly[day].push({ open, close });
      }
    }
    const exceptionRowOf: number[] = [];
    const errors: Record<string, string> = {};
    const dates = new Set<string>();
    const exceptions: OpeningHours['exceptions'][number][] = [];
    for (let i = 0; i < exceptionRows(v); i += 1) {
      const date = v[`exceptions.${i}.date`] ?? '';
      const ranges = v[`exceptions.${i}.ranges`] ?? '';
      const note = v[`exceptions.${i}.note`] ?? '';
      if (v[`exceptions.${i}.remove`] === 'on' || (date === '' && ranges === '' && note === '')) continue;
      if (date !== '' && dates.has(date)) errors[`exceptions.${i}.date`] = `${date} is listed twice.`;
      dates.add(date);
      exceptionRowOf.push(i);
      exceptions.push({ date, ranges: parseRangesText(ranges), ...(note === '' ? {} : { note }) });
    }
    const value: OpeningHours = { timezone: v.timezone ?? '', weekly, exceptions };
    return {
      value,
      errors,
      fieldOf(path) {
        const [section, key, index, leaf] = path;
        if (section === 'weekly' && typeof key === 'string') {
          const row = typeof index === 'number' ? (rowsOf[key as Weekday]?.[index] ?? 0) : 0;
          return `weekly.${key}.${row}.${leaf === 'close' ? 'close' : 'open'}`;
        }
        if (section === 'exceptions' && typeof key === 'number') {
          const row = exceptionRowOf[key] ?? key;
          return `exceptions.${row}.${index === 'date' || index === 'note' ? index : 'ranges'}`;
        }
        return undefined;
      },
    };
  },
};
