import { groupDealLines } from '../domain/deal-groups.js';
import { formatMoney } from '../domain/money.js';
import type { DiscountedLine } from '../domain/offer-types.js';
import { asDiscounted } from '../domain/offers.js';
import type { Order } from '../domain/order.js';
import type { StampStatus } from '../services/offers/stamp-card-service.js';
import { escapeHtml } from './html.js';

/** The customer's stamp card as the order page shows it, with the reward item's menu name. */
export interface OrderStampCard {
  readonly status: StampStatus;
  readonly rewardItemName?: string | undefined;
}

export const ITEMS_STYLE = `<style>.items{width:100%;border-collapse:collapse;margin:1rem 0}.items td{padding:.35rem .2rem;vertical-align:top;border-bottom:1px solid #eee;overflow-wrap:anywhere}
.items .r{text-align:right;white-space:nowrap}.items .total td{font-weight:700;border-bottom:0}.items .part{padding-left:1.2rem}.items .off{color:#1a5}
.stamps{background:#f4f4f4;padding:.75rem;border-radius:.4rem}</style>`;

type Money = (amount: number) => string;

function lineRow(line: DiscountedLine, m: Money, part: boolean): string {
  const options =
    line.options.length === 0
      ? ''
      : `<br><small>${line.options.map((o) => escapeHtml(o.name)).join(', ')}</small>`;
  const note = line.note === undefined ? '' : `<br><small>Note: ${escapeHtml(line.note)}</small>`;
  const off = line.discount === 0 ? '' : `<br><small class="off">−${m(line.discount)}</small>`;
  return `<tr><td${part ? ' class="part"' : ''}>${line.quantity} × ${escapeHtml(line.name)}${options}${note}</td><td class="r">${m(line.lineTotal)}${off}</td></tr>`;
}

function totalRow(label: string, amount: string, extra = ''): string {
  return `<tr${extra}><td>${escapeHtml(label)}</td><td class="r">${amount}</td></tr>`;
}

/**
 * What the order holds: each line with its price and what offers took off it, a meal deal's parts
 * indented under its name, the offers applied, then the totals (the discount before the subtotal).
 */
export function orderItems(order: Order, locale: string): string {
  if (order.priced === undefined) return '';
  const priced = asDiscounted(order.priced);
  const m: Money = (amount) => escapeHtml(formatMoney(amount, priced.currency, locale));
  const groups = groupDealLines(
    priced.lines.map((_, i) => i),
    priced.applied,
  );
  const rows = groups.flatMap((g) => {
    const indexes = g.kind === 'line' ? [g.index] : g.indexes;
    const head =
      g.kind === 'deal' ? [`<tr><td colspan="2"><b>${g.bundles} × ${escapeHtml(g.name)}</b></td></tr>`] : [];
    return [
      ...head,
      ...indexes.flatMap((i) =>
        priced.lines[i] === undefined ? [] : lineRow(priced.lines[i], m, g.kind === 'deal'),
      ),
    ];
  });
  const t = priced.totals;
  const offers = priced.applied.map((a) =>
    totalRow(a.code === undefined ? a.name : `${a.name} (${a.code})`, `−${m(a.amount)}`, ' class="off"'),
  );
  const totals = [
    ...(t.discount > 0 ? [totalRow('Items', m(t.itemsBase)), ...offers] : []),
    ...(offers.length > 1 ? [totalRow('Discount', `−${m(t.discount)}`)] : []),
    totalRow('Subtotal', m(t.subtotal)),
    t.taxIncluded ? '' : totalRow('Tax', m(t.tax)),
    t.fee > 0 ? totalRow('Service fee', m(t.fee)) : '',
    t.tip > 0 ? totalRow('Tip', m(t.tip)) : '',
    t.delivery === undefined ? '' : totalRow('Delivery', m(t.delivery)),
    totalRow(`Total${t.taxIncluded ? ' (tax included)' : ''}`, m(t.total), ' class="total"'),
  ];
  return `<h2>Your order</h2><table class="items">${rows.join('')}${totals.join('')}</table>`;
}

/** Stamps so far and what a full card gives, or that the reward waits for the next order. */
export function stampCardNote(card: OrderStampCard | undefined, currency: string, locale: string): string {
  if (card === undefined) return '';
  const { status } = card;
  const reward =
    status.card.reward.kind === 'item'
      ? `a free ${card.rewardItemName ?? status.card.reward.itemId}`
      : `${formatMoney(status.card.reward.amount, currency, locale)} off`;
  const text = status.rewardWaiting
    ? `Your stamp card is full: ${reward} comes off your next order.`
    : `Stamp card: ${Math.min(status.stamps, status.card.stamps)} of ${status.card.stamps} stamps. ${status.card.stamps} stamps give ${reward}.`;
  return `<p class="stamps">${escapeHtml(text)}</p>`;
}
