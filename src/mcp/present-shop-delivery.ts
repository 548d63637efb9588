import type { ShopSettings } from '../domain/shop-settings.js';
import { money } from './present-money.js';

/** Postal codes the text names at most; the structured result lists them all. */
const CODES_NAMED = 12;

/** Whether and where the shop delivers, for get_shop_info: structured, and a line of text. */
export function shopDelivery(settings: ShopSettings) {
  const d = settings.delivery;
  if (!d.enabled || d.postalCodes.length === 0) {
    return {
      structured: { available: false, postal_codes: [] as string[] },
      text: 'No delivery: pickup only.',
    };
  }
  const m = (amount: number) => money(amount, settings.profile.currency, settings.profile.locale);
  const fee = m(d.feeMinor);
  const minimum = m(d.minimumMinor);
  const named = d.postalCodes.slice(0, CODES_NAMED).join(', ');
  const more = d.postalCodes.length > CODES_NAMED ? ` and ${d.postalCodes.length - CODES_NAMED} more` : '';
  return {
    structured: {
      available: true,
      fee,
      minimum,
      postal_codes: [...d.postalCodes],
      lead_minutes: d.leadMinutes,
    },
    text: [
      `Delivers to postal codes ${named}${more}: fee ${fee.display}`,
      ...(d.minimumMinor > 0 ? [`minimum ${minimum.display} of items`] : []),
      `arrives about ${d.leadMinutes} min after the kitchen has it ready.`,
    ].join(', '),
  };
}
