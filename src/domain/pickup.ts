import type { Violation } from './app-error.js';
import { addDays, type ShopCalendar } from './shop-calendar.js';
import type { PickupSettings } from './shop-settings.js';

/** What the pickup rules need to know; `slotUsage` counts orders already booked in a slot. */
export interface PickupContext {
  readonly now: Date;
  readonly calendar: ShopCalendar;
  readonly settings: PickupSettings;
  readonly slotUsage: (slotStart: Date) => number;
  /** BCP 47 tag for times in messages. */
  readonly locale: string;
}

/** The chosen slot, or the rule the request broke. */
export type PickupResult =
  | { readonly ok: true; readonly slotStart: Date }
  | { readonly ok: false; readonly violation: Violation };

/** A bookable slot; `remaining` is undefined when slots have no capacity limit. */
export interface PickupSlot {
  readonly start: Date;
  readonly remaining: number | undefined;
}

const MINUTE_MS = 60_000;
const PATH = 'pickupTime';

function step(ctx: PickupContext): number {
  return Math.max(1, Math.trunc(ctx.settings.slotMinutes));
}

/** The first slot boundary at or after `instant`; slots are counted from local midnight. */
function ceilToSlot(instant: Date, ctx: PickupContext): Date {
  const { date, minutes } = ctx.calendar.localParts(instant);
  const partial = instant.getTime() % MINUTE_MS === 0 ? 0 : 1;
  // Slots restart at every local midnight, so the last one of a day may be shorter.
  const boundary = Math.min(Math.ceil((minutes + partial) / step(ctx)) * step(ctx), 1440);
  let slot = ctx.calendar.toInstant(date, boundary);
  // In a repeated fall-back hour a wall time maps to its first occurrence; step past the instant.
  while (slot < instant) slot = new Date(slot.getTime() + step(ctx) * MINUTE_MS);
  return slot;
}

/** The slot after `slot`; a whole step later when that is a boundary, so a repeated fall-back hour keeps its slots. */
function nextSlot(slot: Date, ctx: PickupContext): Date {
  const rounded = ceilToSlot(new Date(slot.getTime() + MINUTE_MS), ctx);
  const stepped = new Date(slot.getTime() + step(ctx) * MINUTE_MS);
  const aligned = ctx.calendar.localParts(stepped).minutes % step(ctx) === 0;
  return aligned && stepped < rounded ? stepped : rounded;
}

/** The slot holding `instant`. */
function floorToSlot(instant: Date, ctx: PickupContext): Date {
  const { date, minutes } = ctx.calendar.localParts(instant);
  let slot = ctx.calendar.toInstant(date, Math.floor(minutes / step(ctx)) * step(ctx));
  while (slot.getTime() + step(ctx) * MINUTE_MS <= instant.getTime()) {
    slot = new Date(slot.getTime() + step(ctx) * MINUTE_MS);
  }
  return slot;
}

function lastDate(ctx: PickupContext): string {
  return addDays(ctx.calendar.localParts(ctx.now).date, Math.max(0, ctx.settings.maxDaysAhead));
}

function isWithinHorizon(instant: Date, ctx: PickupContext): boolean {
  return ctx.calendar.localParts(instant).date <= lastDate(ctx);
}

/** The earliest pickup the kitchen can make: lead minutes of open time after now, on a slot boundary. */
export function earliestPickup(ctx: PickupContext): Date | undefined {
  let from = ctx.now;
  for (let attempt = 0; attempt < 64; attempt += 1) {
    const opening = ctx.calendar.nextOpening(from);
    if (opening === undefined) return undefined;
    const slot = ceilToSlot(new Date(opening.getTime() + ctx.settings.leadMinutes * MINUTE_MS), ctx);
    if (ctx.calendar.isOpen(slot)) return slot;
    from = slot;
  }
  return undefined;
}

/** Open slots from `start` on, up to the last day a customer may book. */
function* openSlots(start: Date, ctx: PickupContext): Generator<Date> {
  const limit = ((ctx.settings.maxDaysAhead + 2) * 1440) / step(ctx) + 100;
  let slot = ceilToSlot(start, ctx);
  for (let guard = 0; guard < limit && isWithinHorizon(slot, ctx); guard += 1) {
    if (ctx.calendar.isOpen(slot)) {
      yield slot;
      slot = nextSlot(slot, ctx);
    } else {
      const opening = ctx.calendar.nextOpening(slot);
      if (opening === undefined) return;
      slot = ceilToSlot(opening, ctx);
    }
  }
}

function remaining(slot: Date, ctx: PickupContext): number | undefined {
  const capacity = ctx.settings.slotCapacity;
  return capacity === 0 ? undefined : Math.max(0, capacity - ctx.slotUsage(slot));
}

function firstFree(start: Date, ctx: PickupContext): Date | undefined {
  for (const slot of openSlots(start, ctx)) if (remaining(slot, ctx) !== 0) return slot;
  return undefined;
}

/** The next `count` slots a customer can book, from the earliest pickup on, with their free places. */
export function listPickupSlots(ctx: PickupContext, count: number): PickupSlot[] {
  const earliest = earliestPickup(ctx);
  const slots: PickupSlot[] = [];
  if (earliest === undefined || count <= 0) return slots;
  for (const start of openSlots(earliest, ctx)) {
    const left = remaining(start, ctx);
    if (left !== 0) slots.push({ start, remaining: left });
    if (slots.length >= count) break;
  }
  return slots;
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Reads an ISO 8601 time; one without an offset is a wall time in the shop's time zone. */
export function parsePickupTime(text: string, calendar: ShopCalendar): Date | undefined {
  const match = ISO_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, date = '', hours = '', minutes = '', seconds = '0', zone] = match;
  const real = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(real.getTime()) || real.toISOString().slice(0, 10) !== date) return undefined;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  if (zone === undefined) {
    const wall = calendar.toInstant(date, Number(hours) * 60 + Number(minutes));
    return new Date(wall.getTime() + Number(seconds) * 1000);
  }
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const parsed = new Date(`${date}T${hours}:${minutes}:${seconds.padStart(2, '0')}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function refuse(code: Violation['code'], message: string, suggestion?: string): PickupResult {
  return { ok: false, violation: { code, message, path: PATH, suggestion } };
}

function asap(earliest: Date | undefined, ctx: PickupContext): PickupResult {
  if (earliest === undefined || !isWithinHorizon(earliest, ctx)) {
    return refuse('pickup_outside_hours', `The shop has no pickup times left until ${lastDate(ctx)}.`);
  }
  const slot = firstFree(earliest, ctx);
  if (slot === undefined)
    return refuse('pickup_slot_full', `Every pickup slot is full until ${lastDate(ctx)}.`);
  return { ok: true, slotStart: slot };
}

function refuseRequested(at: Date, earliest: Date | undefined, ctx: PickupContext): PickupResult | undefined {
  const show = (instant: Date) => ctx.calendar.formatLocal(instant, ctx.locale);
  const offer = (from: Date | undefined, lead: string) => {
    const free = from === undefined ? undefined : firstFree(from, ctx);
    return free === undefined ? undefined : `${lead} ${show(free)}.`;
  };
  if (at < ctx.now) {
    return refuse(
      'pickup_in_past',
      `${show(at)} has already passed.`,
      offer(earliest, 'The earliest pickup is'),
    );
  }
  if (!isWithinHorizon(at, ctx)) {
    const message = `Pickup can be booked at most ${ctx.settings.maxDaysAhead} days ahead, until ${lastDate(ctx)}.`;
    return refuse('pickup_too_far', message, offer(earliest, 'The earliest pickup is'));
  }
  const slot = floorToSlot(at, ctx);
  if (!ctx.calendar.isOpen(slot)) {
    const from = earliest !== undefined && earliest > slot ? earliest : slot;
    return refuse(
      'pickup_outside_hours',
      `The shop is closed at ${show(at)}.`,
      offer(from, 'The next pickup is'),
    );
  }
  if (earliest === undefined || slot < earliest) {
    const message = `The kitchen needs ${ctx.settings.leadMinutes} minutes; ${show(at)} is too soon.`;
    return refuse('pickup_too_soon', message, offer(earliest, 'The earliest pickup is'));
  }
  if (remaining(slot, ctx) === 0) {
    const next = offer(nextSlot(slot, ctx), 'The next free slot is');
    return refuse('pickup_slot_full', `The ${show(slot)} pickup slot is full.`, next);
  }
  return undefined;
}

/** Picks the pickup slot for 'asap' or an ISO time, or says which pickup rule the request breaks. */
export function resolvePickup(ctx: PickupContext, requested: string): PickupResult {
  const earliest = earliestPickup(ctx);
  if (requested.trim().toLowerCase() === 'asap') return asap(earliest, ctx);
  const at = parsePickupTime(requested, ctx.calendar);
  if (at === undefined) {
    const message = `"${requested}" is not a pickup time; use "asap" or an ISO 8601 time such as 2026-03-10T12:30.`;
    return refuse('invalid_input', message);
  }
  return refuseRequested(at, earliest, ctx) ?? { ok: true, slotStart: floorToSlot(at, ctx) };
}
