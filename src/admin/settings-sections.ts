import { parseDecimalString, toDecimalString } from '../domain/money.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import { decimalNumber, wholeNumber } from './form-read.js';
import { deliveryForm } from './settings-delivery-form.js';
import { emailForm } from './settings-email-form.js';
import type { EditableSection, SectionForm } from './settings-form.js';
import { hoursForm } from './settings-hours-form.js';

const on = (value: string | undefined) => value === 'on';
const checkbox = (value: boolean) => (value ? 'on' : '');

const PICKUP_FIELDS = ['leadMinutes', 'slotMinutes', 'slotCapacity', 'maxDaysAhead'] as const;

const pickupForm: SectionForm<'pickup'> = {
  key: 'pickup',
  values: (s) => Object.fromEntries(PICKUP_FIELDS.map((f) => [f, String(s.pickup[f])])),
  build: (v) => ({
    value: {
      leadMinutes: wholeNumber(v.leadMinutes ?? ''),
      slotMinutes: wholeNumber(v.slotMinutes ?? ''),
      slotCapacity: wholeNumber(v.slotCapacity ?? ''),
      maxDaysAhead: wholeNumber(v.maxDaysAhead ?? ''),
    },
  }),
};

const taxForm: SectionForm<'tax'> = {
  key: 'tax',
  values: (s) => ({
    inclusive: s.tax.inclusive ? 'inclusive' : 'exclusive',
    defaultRateId: s.tax.defaultRateId,
    ...Object.fromEntries(
      s.tax.rates.flatMap((rate, i) => [
        [`rates.${i}.name`, rate.name],
        [`rates.${i}.percent`, String(rate.percent)],
      ]),
    ),
  }),
  // The rates' ids are the menu's (a category names one): the form renames and re-prices them only.
  build: (v, s) => {
    const defaultRateId = v.defaultRateId ?? '';
    return {
      value: {
        inclusive: v.inclusive === 'inclusive',
        defaultRateId,
        rates: s.tax.rates.map((rate, i) => ({
          id: rate.id,
          name: v[`rates.${i}.name`] ?? '',
          percent: decimalNumber(v[`rates.${i}.percent`] ?? ''),
        })),
      },
      fieldOf: (path) => (path.length === 0 ? 'defaultRateId' : undefined),
      errors: s.tax.rates.some((rate) => rate.id === defaultRateId)
        ? undefined
        : { defaultRateId: 'Choose one of the rates.' },
    };
  },
};

const feesForm: SectionForm<'fees'> = {
  key: 'fees',
  values: (s) => {
    const fee = s.fees.serviceFee;
    return {
      'serviceFee.kind': fee.kind,
      'serviceFee.percent': fee.kind === 'percent' ? String(fee.percent) : '',
      'serviceFee.amount': fee.kind === 'fixed' ? toDecimalString(fee.amount, s.profile.currency) : '',
      'tips.enabled': checkbox(s.fees.tips.enabled),
      'tips.suggestedPercents': s.fees.tips.suggestedPercents.join(', '),
    };
  },
  build: (v, s) => {
    const kind = v['serviceFee.kind'];
    const serviceFee: ShopSettings['fees']['serviceFee'] =
      kind === 'percent'
        ? { kind, percent: decimalNumber(v['serviceFee.percent'] ?? '') }
        : kind === 'fixed'
          ? {
              kind,
              amount: parseDecimalString(v['serviceFee.amount'] ?? '', s.profile.currency) ?? Number.NaN,
            }
          : { kind: 'none' };
    const percents = (v['tips.suggestedPercents'] ?? '')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(wholeNumber);
    return {
      value: { serviceFee, tips: { enabled: on(v['tips.enabled']), suggestedPercents: percents } },
      fieldOf: (path) => (path.length === 1 && path[0] === 'serviceFee' ? 'serviceFee.kind' : undefined),
    };
  },
};

const printerForm: SectionForm<'printer'> = {
  key: 'printer',
  values: (s) => ({
    paperWidthMm: String(s.printer.paperWidthMm),
    customerReceipt: checkbox(s.printer.customerReceipt),
  }),
  build: (v) => ({
    value: {
      paperWidthMm: wholeNumber(v.paperWidthMm ?? '') as 58 | 80,
      customerReceipt: on(v.customerReceipt),
    },
  }),
};

/** The GPIO parts, in the order the form shows them. */
export const GPIO_PARTS = [
  ['ledPin', 'New-order LED'],
  ['buzzerPin', 'Buzzer'],
  ['bumpButtonPin', 'Bump button'],
  ['openSwitchPin', 'Open/closed switch'],
] as const;

const gpioForm: SectionForm<'gpio'> = {
  key: 'gpio',
  values: (s) => Object.fromEntries(GPIO_PARTS.map(([f]) => [f, String(s.gpio[f])])),
  build(v) {
    const gpio: ShopSettings['gpio'] = {
      ledPin: wholeNumber(v.ledPin ?? ''),
      buzzerPin: wholeNumber(v.buzzerPin ?? ''),
      bumpButtonPin: wholeNumber(v.bumpButtonPin ?? ''),
      openSwitchPin: wholeNumber(v.openSwitchPin ?? ''),
    };
    const errors: Record<string, string> = {};
    GPIO_PARTS.forEach(([field], index) => {
      const earlier = GPIO_PARTS.slice(0, index).find(([other]) => gpio[other] === gpio[field]);
      if (earlier !== undefined)
        errors[field] =
          `Pin ${gpio[field]} is already used for "${earlier[1]}": each part needs its own pin.`;
    });
    return { value: gpio, errors };
  },
};

/** Every section's form, by section. */
export const SECTION_FORMS: { readonly [K in EditableSection]: SectionForm<K> } = {
  hours: hoursForm,
  pickup: pickupForm,
  delivery: deliveryForm,
  tax: taxForm,
  fees: feesForm,
  printer: printerForm,
  gpio: gpioForm,
  email: emailForm,
};
