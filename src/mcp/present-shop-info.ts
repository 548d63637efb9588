import { listPickupSlots } from '../domain/pickup.js';
import { offersText } from './present-offers.js';
import { shopDelivery } from './present-shop-delivery.js';
import { stampCardText } from './present-stamp-card.js';
import { currentOffers, stampCardOf, type ToolContext } from './tool-context.js';

/** When orders are taken again, in words and as an instant, if known. */
function orderingState(
  t: ToolContext,
  info: ReturnType<ToolContext['shop']['info']>,
): { text: string; resumesAt: Date | undefined } {
  if (info.openNow) return { text: 'Open now', resumesAt: undefined };
  // A pause lasts until the owner (or the shop's switch) lifts it: no calendar can say when.
  if (info.pausedByOwner) {
    return {
      text: 'Not taking orders right now: the shop has paused ordering and has not said when it resumes',
      resumesAt: undefined,
    };
  }
  if (info.nextOpening === undefined) return { text: 'Closed now', resumesAt: undefined };
  return {
    text: `Closed now; ordering resumes ${t.shop.formatTime(info.nextOpening)}`,
    resumesAt: info.nextOpening,
  };
}

/** get_shop_info's answer: pickup slots only while orders are taken, and when they are taken again. */
export function shopInfoAnswer(
  t: ToolContext,
  subject?: string,
): { text: string; structured: Record<string, unknown> } {
  const info = t.shop.info();
  const s = t.shop.settings();
  const slots = info.openNow
    ? listPickupSlots(
        {
          now: t.clock.now(),
          calendar: t.shop.calendar(),
          settings: s.pickup,
          slotUsage: () => 0,
          locale: s.profile.locale,
        },
        3,
      ).map((slot) => t.shop.formatTime(slot.start))
    : [];
  const delivery = shopDelivery(s);
  const ordering = orderingState(t, info);
  const offers = currentOffers(t).shown;
  const offerLines = offersText(offers);
  const stampCard = stampCardOf(t, subject);
  const structured = {
    name: info.name,
    address: info.address,
    phone: info.phone,
    currency: info.currency,
    timezone: info.timezone,
    open_now: info.openNow,
    paused_by_owner: info.pausedByOwner,
    todays_hours: info.todaysHours.map((r) => ({ open: r.open, close: r.close })),
    ...(info.closesAt === undefined ? {} : { closes_at: info.closesAt.toISOString() }),
    ...(info.nextOpening === undefined ? {} : { next_opening: info.nextOpening.toISOString() }),
    ...(ordering.resumesAt === undefined ? {} : { ordering_resumes_at: ordering.resumesAt.toISOString() }),
    pickup_lead_minutes: info.pickupLeadMinutes,
    next_pickup_slots: slots,
    ...(stampCard === undefined ? {} : { stamp_card: stampCard }),
    delivery: delivery.structured,
    ...offers,
  };
  const hours = info.todaysHours.map((r) => `${r.open}–${r.close}`).join(', ') || 'closed today';
  const slotLine = slots.length > 0 ? `\nNext pickup slots: ${slots.join(', ')}.` : '';
  const text = `${info.name}, ${info.address} (${info.phone})\n${ordering.text}. Today: ${hours}.\nPickup takes about ${info.pickupLeadMinutes} min. Prices in ${info.currency}.${slotLine}\n${delivery.text}${offerLines === '' ? '' : `\n${offerLines}\nOnly these offers exist; never promise another discount.`}${stampCard === undefined ? '' : `\n${stampCardText(stampCard)}`}`;
  return { text, structured };
}
