import { AppError } from '../../domain/app-error.js';
import type { ShopCalendar } from '../../domain/shop-calendar.js';

/**
 * Turns what a customer says into what the pickup rules read: "asap", an ISO time, or "12:30"
 * (today in the shop's time zone, written out as a local ISO time).
 */
export function normalizePickupTime(text: string, calendar: ShopCalendar, now: Date): string {
  const trimmed = text.trim();
  if (/^(asap|now|as soon as possible)$/i.test(trimmed)) return 'asap';
  const clock = /^(\d{1,2})[:.h](\d{2})\s*(am|pm)?$/i.exec(trimmed);
  if (clock !== null) {
    let hours = Number(clock[1]);
    const minutes = Number(clock[2]);
    const half = clock[3]?.toLowerCase();
    if (half === 'pm' && hours < 12) hours += 12;
    if (half === 'am' && hours === 12) hours = 0;
    if (hours > 23 || minutes > 59) {
      throw new AppError('invalid_input', `"${text}" is not a time of day.`, {
        violations: [
          { code: 'invalid_input', message: `"${text}" is not a time of day.`, path: 'pickup_time' },
        ],
      });
    }
    const date = calendar.localParts(now).date;
    return `${date}T${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
  }
  return trimmed;
}
