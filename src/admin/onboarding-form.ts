import { WEEKDAYS, type Weekday } from '../domain/catalog.js';
import { isCurrencyCode } from '../domain/money.js';
import type { ShopSettings, TimeRange } from '../domain/shop-settings.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './owner-password.js';

/** One day of the simple weekly form: one opening range, or closed. */
export interface DayHours {
  readonly open: string;
  readonly close: string;
  readonly closed: boolean;
}

/** The onboarding form as text, to fill it in (from the settings) and to show it again after a mistake. */
export interface OnboardingValues {
  readonly name: string;
  readonly address: string;
  readonly phone: string;
  readonly currency: string;
  readonly locale: string;
  readonly timezone: string;
  readonly taxPercent: string;
  readonly taxInclusive: boolean;
  readonly hours: Readonly<Record<Weekday, DayHours>>;
}

/** A valid onboarding form. */
export interface Onboarding {
  /** Set only when the form asked for the first password. */
  readonly password: string | undefined;
  readonly profile: Pick<ShopSettings['profile'], 'name' | 'address' | 'phone' | 'currency' | 'locale'>;
  readonly timezone: string;
  readonly taxPercent: number;
  readonly taxInclusive: boolean;
  readonly weekly: Readonly<Record<Weekday, readonly TimeRange[]>>;
}

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** The form filled in from the current settings (the first range of each day). */
export function onboardingValues(settings: ShopSettings): OnboardingValues {
  const hours = Object.fromEntries(
    WEEKDAYS.map((day) => {
      const first = settings.hours.weekly[day][0];
      return [
        day,
        { open: first?.open ?? '09:00', close: first?.close ?? '17:00', closed: first === undefined },
      ];
    }),
  ) as Record<Weekday, DayHours>;
  const rate = settings.tax.rates.find((r) => r.id === settings.tax.defaultRateId);
  return {
    ...settings.profile,
    timezone: settings.hours.timezone,
    taxPercent: String(rate?.percent ?? 0),
    taxInclusive: settings.tax.inclusive,
    hours,
  };
}

/** A real shop's empty form: nothing of the demo, only first guesses (from the browser) and usual hours. */
export function blankValues(guess: { readonly locale: string; readonly currency: string }): OnboardingValues {
  const hours = Object.fromEntries(
    WEEKDAYS.map((day) => [day, { open: '09:00', close: '17:00', closed: day === 'sun' }]),
  ) as Record<Weekday, DayHours>;
  return {
    name: '',
    address: '',
    phone: '',
    currency: guess.currency,
    locale: guess.locale,
    timezone: '',
    taxPercent: '',
    taxInclusive: false,
    hours,
  };
}

/** The posted form as text. */
export function postedValues(form: Record<string, unknown>): OnboardingValues {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const hours = Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      { open: text(`${day}_open`), close: text(`${day}_close`), closed: form[`${day}_closed`] === 'on' },
    ]),
  ) as Record<Weekday, DayHours>;
  return {
    name: text('name'),
    address: text('address'),
    phone: text('phone'),
    currency: text('currency').toUpperCase(),
    locale: text('locale'),
    timezone: text('timezone'),
    taxPercent: text('tax_percent'),
    taxInclusive: form.tax_mode === 'inclusive',
    hours,
  };
}

function isTimeZone(tz: string): boolean {
  try {
    return tz !== '' && new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone !== '';
  } catch {
    return false;
  }
}

function isLocale(tag: string): boolean {
  try {
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) && Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

function passwordErrors(form: Record<string, unknown>): string[] {
  const password = typeof form.password === 'string' ? form.password : '';
  if (password.length < PASSWORD_MIN_LENGTH)
    return [`Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`];
  if (password.length > PASSWORD_MAX_LENGTH)
    return [`Keep the password under ${PASSWORD_MAX_LENGTH} characters.`];
  if (form.password_again !== password) return ['The two passwords are not the same. Type them again.'];
  return [];
}

function hoursErrors(values: OnboardingValues): string[] {
  return WEEKDAYS.flatMap((day) => {
    const h = values.hours[day];
    if (h.closed) return [];
    if (!HHMM.test(h.open) || !HHMM.test(h.close))
      return [`${WEEKDAY_NAMES[day]}: write the hours like 09:00 and 17:30, or tick "closed".`];
    return h.open === h.close ? [`${WEEKDAY_NAMES[day]}: opening and closing time are the same.`] : [];
  });
}

/** Checks the posted form; errors are sentences the owner can act on, every one at once. */
export function parseOnboarding(
  form: Record<string, unknown>,
  askPassword: boolean,
): { ok: true; value: Onboarding } | { ok: false; errors: string[]; values: OnboardingValues } {
  const v = postedValues(form);
  const tax = /^\d{1,3}([.,]\d{1,3})?$/.test(v.taxPercent)
    ? Number(v.taxPercent.replace(',', '.'))
    : Number.NaN;
  const errors = [
    ...(askPassword ? passwordErrors(form) : []),
    ...(v.name === '' || v.name.length > 80 ? ["Enter the shop's name (up to 80 characters)."] : []),
    ...(v.address.length > 200 ? ['Keep the address under 200 characters.'] : []),
    ...(v.phone.length > 40 ? ['Keep the phone number under 40 characters.'] : []),
    ...(isCurrencyCode(v.currency) ? [] : ['Choose the currency the menu is priced in.']),
    ...(isLocale(v.locale) ? [] : ['Choose the language and country prices and times are written for.']),
    ...(isTimeZone(v.timezone)
      ? []
      : [
          'Choose the time zone the shop is in: type its city, such as New York or Paris, and pick it from the list.',
        ]),
    ...(tax >= 0 && tax <= 100 ? [] : ['Enter the tax rate in percent, such as 8.875 or 20 (0 for none).']),
    ...hoursErrors(v),
  ];
  if (errors.length > 0) return { ok: false, errors, values: v };
  const weekly = Object.fromEntries(
    WEEKDAYS.map((day) => {
      const h = v.hours[day];
      return [day, h.closed ? [] : [{ open: h.open, close: h.close }]];
    }),
  ) as Record<Weekday, TimeRange[]>;
  return {
    ok: true,
    value: {
      password: askPassword ? (form.password as string) : undefined,
      profile: { name: v.name, address: v.address, phone: v.phone, currency: v.currency, locale: v.locale },
      timezone: v.timezone,
      taxPercent: tax,
      taxInclusive: v.taxInclusive,
      weekly,
    },
  };
}

/** The settings sections onboarding writes, from the current ones: every tax rate gets the one rate. */
export function onboardedSettings(
  current: ShopSettings,
  o: Onboarding,
): Pick<ShopSettings, 'profile' | 'hours' | 'tax'> {
  return {
    profile: { ...current.profile, ...o.profile },
    hours: { ...current.hours, timezone: o.timezone, weekly: o.weekly },
    tax: {
      ...current.tax,
      inclusive: o.taxInclusive,
      rates: current.tax.rates.map((rate) => ({ ...rate, percent: o.taxPercent })),
    },
  };
}
