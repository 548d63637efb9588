import { formatMoney } from '../../domain/money.js';
import type { Order } from '../../domain/order.js';
import type { EmailMessage } from './email-sender.js';
import type { PushMessage } from './push-sender.js';

/** What the texts need of the shop. */
export interface NoticeShop {
  readonly name: string;
  readonly locale: string;
  formatTime(instant: Date): string;
}

/** The phone notification when the order is ready (or, delivered, on its way). */
export function readyPush(order: Order, shop: NoticeShop, url: string): PushMessage {
  const delivered = order.fulfillment.type === 'delivery';
  return {
    title: delivered ? `Order ${order.code} is on its way` : `Order ${order.code} is ready`,
    body: delivered
      ? `${shop.name} has sent it out to you.`
      : `Pick it up at ${shop.name}: show the code ${order.code} at the counter.`,
    url,
  };
}

/** The "ready" email. */
export function readyEmail(to: string, order: Order, shop: NoticeShop, url: string): EmailMessage {
  const push = readyPush(order, shop, url);
  return { to, subject: `${push.title} (${shop.name})`, text: `${push.body}\n\nYour order: ${url}\n` };
}

/** The receipt: what was ordered and paid, when and where, and the order page's link. */
export function receiptEmail(to: string, order: Order, shop: NoticeShop, url: string): EmailMessage {
  const money = (amount: number) => formatMoney(amount, order.currency, shop.locale);
  const lines = (order.priced?.lines ?? []).map(
    (line) =>
      `${line.quantity} × ${line.name}${line.options.length === 0 ? '' : ` (${line.options.map((o) => o.name).join(', ')})`}  ${money(line.lineTotal)}`,
  );
  const total = order.priced === undefined ? [] : [`Total  ${money(order.priced.totals.total)}`];
  const when =
    order.pickupSlot === undefined ? 'as soon as it is ready' : `around ${shop.formatTime(order.pickupSlot)}`;
  const pay = order.payment?.method === 'pay_at_pickup' ? 'You pay when you pick it up.' : 'Paid.';
  return {
    to,
    subject: `Your order ${order.code} at ${shop.name}`,
    text: [
      `Order ${order.code} at ${shop.name}`,
      '',
      ...lines,
      ...total,
      pay,
      '',
      `${order.fulfillment.type === 'delivery' ? 'Delivery' : 'Pickup'} ${when}.`,
      `We email you again when it is ready. Follow it live: ${url}`,
      '',
    ].join('\n'),
  };
}
