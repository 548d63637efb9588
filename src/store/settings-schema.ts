import { z } from 'zod';
import { WEEKDAYS } from '../domain/catalog.js';
import { POSTAL_CODE } from '../domain/delivery.js';
import { isCurrencyCode } from '../domain/money.js';
import {
  BACKUP_DEFAULTS,
  DELIVERY_DEFAULTS,
  EMAIL_DEFAULTS,
  type ShopSettings,
} from '../domain/shop-settings.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time like 07:30');
const range = z.object({ open: hhmm, close: hhmm });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-25');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const weekly = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(range).max(6)])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodArray<typeof range>
  >,
);

const pin = z.number().int().min(0).max(53);

// Settings written before delivery existed have no row for it: they read as delivery off.
const delivery = z
  .object({
    enabled: z.boolean(),
    feeMinor: z.number().int().min(0).max(1_000_000),
    minimumMinor: z.number().int().min(0).max(10_000_000),
    postalCodes: z
      .array(z.string().trim().regex(POSTAL_CODE, 'a postal code of letters and digits, like 10001'))
      .max(200),
    leadMinutes: z.number().int().min(0).max(240),
  })
  .refine((d) => !d.enabled || d.postalCodes.length > 0, {
    message: 'a list of at least one postal code to deliver to',
    path: ['postalCodes'],
  })
  .default(() => ({ ...DELIVERY_DEFAULTS, postalCodes: [...DELIVERY_DEFAULTS.postalCodes] }));

// Settings written before email existed have no row for it: they read as email off.
const email = z
  .object({
    enabled: z.boolean(),
    host: z.string().trim().max(253),
    port: z.number().int().min(1).max(65535),
    security: z.enum(['tls', 'starttls', 'none']),
    user: z.string().max(254),
    password: z.string().max(512),
    from: z.string().trim().max(254),
  })
  .refine((e) => !e.enabled || /^[A-Za-z0-9.-]+$/.test(e.host), {
    message: 'a mail server name, like smtp.example.com',
    path: ['host'],
  })
  .refine((e) => !e.enabled || /@[^\s@]+\.[^\s@]+>?$/.test(e.from), {
    message: 'a sender address, like orders@example.com',
    path: ['from'],
  })
  .default(() => ({ ...EMAIL_DEFAULTS }));

/** Each section of the owner's settings, validated when written and when read back from disk. */
export const settingsSections = {
  profile: z.object({
    name: z.string().trim().min(1).max(80),
    address: z.string().trim().max(200),
    phone: z.string().trim().max(40),
    currency: z.string().refine(isCurrencyCode, 'an ISO 4217 currency code such as USD, EUR or JPY'),
    locale: z.string().min(2).max(35),
  }),
  hours: z.object({
    timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Paris'),
    weekly,
    exceptions: z.array(
      z.object({ date: isoDate, ranges: z.array(range).max(6), note: z.string().max(80).optional() }),
    ),
  }),
  pausedByOwner: z.boolean(),
  pickup: z.object({
    leadMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    slotMinutes: z.number().int().min(5).max(120),
    slotCapacity: z.number().int().min(0).max(1000),
    maxDaysAhead: z.number().int().min(0).max(30),
  }),
  delivery,
  tax: z
    .object({
      inclusive: z.boolean(),
      defaultRateId: z.string().min(1),
      rates: z
        .array(
          z.object({
            id: z.string().min(1),
            name: z.string().min(1).max(40),
            percent: z.number().min(0).max(100),
          }),
        )
        .min(1),
    })
    .refine((t) => t.rates.some((r) => r.id === t.defaultRateId), 'defaultRateId must name one of the rates'),
  fees: z.object({
    serviceFee: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('percent'), percent: z.number().min(0).max(100) }),
      z.object({ kind: z.literal('fixed'), amount: z.number().int().min(0) }),
    ]),
    tips: z.object({
      enabled: z.boolean(),
      suggestedPercents: z.array(z.number().int().min(0).max(100)).max(5),
    }),
  }),
  limits: z.object({
    maxItemsPerOrder: z.number().int().min(1).max(500),
    maxNoteLength: z.number().int().min(0).max(500),
  }),
  gpio: z.object({ ledPin: pin, buzzerPin: pin, bumpButtonPin: pin, openSwitchPin: pin }),
  printer: z.object({ paperWidthMm: z.union([z.literal(58), z.literal(80)]), customerReceipt: z.boolean() }),
  // Settings written before off-card backups existed have no row for them: nothing is copied off the card.
  backups: z
    .object({
      usbMount: z.string().startsWith('/', 'an absolute path such as /media/pi/STICK').max(4096).nullable(),
      remoteFolder: z
        .string()
        .trim()
        .regex(/^[\w .-]+(\/[\w .-]+)*$/, 'a folder name such as counterpi or shop/backups')
        .max(200),
    })
    .default(() => ({ ...BACKUP_DEFAULTS })),
  email,
  // Settings written before the day's close existed have no row for it: the owner closes the day.
  dayClose: z
    .object({
      autoCloseAt: z
        .string()
        .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a time like 22:30')
        .nullable(),
    })
    .default(() => ({ autoCloseAt: null })),
} as const;

export type SettingsSection = keyof typeof settingsSections;

/** The whole settings document; `satisfies` keeps the zod schema and the domain type in step. */
export const shopSettingsSchema = z.object(settingsSections) satisfies z.ZodType<ShopSettings>;
