import type { Child, FC } from 'hono/jsx';
import { addressLine, arrivalWindow } from '../domain/delivery.js';
import { formatMoney } from '../domain/money.js';
import type { Order } from '../domain/order.js';
import type { OrderState } from '../domain/order-lifecycle.js';
import { ASSETS, CsrfField, PostButton } from './admin-layout.js';
import { guideLink } from './guide-link.js';
import type { OrderingState, OwnerStatusLine } from './owner-status.js';
import { PausedBanner, StatusPanel } from './status-panel-view.js';

/** How the dashboard words each state. */
export const STATE_LABELS: Readonly<Record<OrderState, string>> = {
  cart: 'Cart',
  awaiting_confirmation: 'Waiting for the customer to confirm',
  paid: 'Paid · ticket not printed yet',
  in_kitchen: 'In the kitchen',
  ready: 'Ready for pickup',
  collected: 'Collected',
  canceled: 'Canceled',
  expired: 'Expired',
  refunded: 'Refunded',
};

/** A delivery's states where they read differently. */
const DELIVERY_LABELS: Partial<Record<OrderState, string>> = {
  ready: 'Ready for the driver',
  collected: 'Delivered',
};

/** The dashboard's columns, in the order the kitchen thinks of them. */
const GROUPS: readonly { id: string; title: string; states: readonly OrderState[]; oldestFirst: boolean }[] =
  [
    { id: 'kitchen', title: 'To cook', states: ['paid', 'in_kitchen'], oldestFirst: true },
    { id: 'ready', title: 'Ready for pickup', states: ['ready'], oldestFirst: true },
    { id: 'awaiting', title: 'Waiting for payment', states: ['awaiting_confirmation'], oldestFirst: false },
    { id: 'collected', title: 'Collected', states: ['collected'], oldestFirst: false },
    {
      id: 'closed',
      title: 'Canceled, expired, refunded',
      states: ['canceled', 'expired', 'refunded'],
      oldestFirst: false,
    },
  ];

/** What an order card needs beyond the order. */
export interface OrderCardContext {
  readonly csrf: string;
  readonly locale: string;
  readonly formatTime: (instant: Date) => string;
  /** The pickup slot length: a delivery's window is one slot long. */
  readonly slotMinutes: number;
  /** Whether staff keyed the order in (a phone or counter order). */
  readonly staffEntered?: ((order: Order) => boolean) | undefined;
}

function firstName(name: string | undefined): string | undefined {
  return name?.trim().split(/\s+/)[0] || undefined;
}

/** The payment line: PAID (how) or PAY AT PICKUP (on delivery), with the total. */
export function paymentText(order: Order, locale: string): string {
  const total = formatMoney(order.priced?.totals.total ?? 0, order.currency, locale);
  if (order.payment === undefined) return total;
  if (order.payment.method === 'counter_cash') return `${total} · paid in cash`;
  if (order.payment.method === 'counter_card') return `${total} · paid by card at the counter`;
  if (order.payment.method !== 'pay_at_pickup') return `${total} · paid`;
  return order.fulfillment.type === 'delivery' ? `${total} · pay on delivery` : `${total} · pay at pickup`;
}

/** Where a delivery goes, for the kitchen and the driver: name, address and phone. */
const DeliveryTo: FC<{ order: Order; ctx: OrderCardContext }> = ({ order, ctx }) => {
  const f = order.fulfillment;
  if (f.type !== 'delivery') return null;
  const window = arrivalWindow(f, order.pickupSlot, ctx.slotMinutes);
  return (
    <p class="delivery">
      <strong>Delivery</strong> to {f.address.name}, {addressLine(f.address)}
      {f.address.phone === undefined ? '' : ` · ${f.address.phone}`}
      {window === undefined ? '' : ` · arrives around ${ctx.formatTime(window.start)}`}
    </p>
  );
};

const OrderActions: FC<{ order: Order; csrf: string }> = ({ order, csrf }) => {
  const at = `/admin/orders/${order.id}`;
  const s = order.state;
  return (
    <div class="actions">
      {s === 'paid' || s === 'in_kitchen' ? (
        <PostButton action={`${at}/ready`} csrf={csrf} label="Mark ready" />
      ) : null}
      {s === 'ready' ? (
        <PostButton
          action={`${at}/collected`}
          csrf={csrf}
          label={order.fulfillment.type === 'delivery' ? 'Delivered' : 'Collected'}
        />
      ) : null}
      {['paid', 'in_kitchen', 'ready', 'collected'].includes(s) ? (
        <PostButton action={`${at}/reprint`} csrf={csrf} label="Reprint" kind="secondary" />
      ) : null}
      {order.payment?.method === 'pay_at_pickup' &&
      ['paid', 'in_kitchen', 'ready', 'collected'].includes(s) ? (
        <form method="post" action={`${at}/paid`} class="inline">
          <CsrfField token={csrf} />
          <button type="submit" name="method" value="counter_cash" class="primary">
            Paid · cash
          </button>
          <button type="submit" name="method" value="counter_card" class="primary">
            Paid · card
          </button>
        </form>
      ) : null}
      {s === 'awaiting_confirmation' ? (
        <a class="button danger" href={`${at}/cancel`}>
          Cancel
        </a>
      ) : null}
      {['paid', 'in_kitchen', 'ready', 'collected'].includes(s) ? (
        <a class="button danger" href={`${at}/cancel`}>
          {s === 'collected' ? 'Refund' : 'Cancel & refund'}
        </a>
      ) : null}
    </div>
  );
};

/** One order: code, state, pickup, first name, lines with options and notes, total, its buttons. */
export const OrderCard: FC<{ order: Order; ctx: OrderCardContext }> = ({ order, ctx }) => {
  const name = firstName(order.customerName);
  const lines = order.priced?.lines ?? [];
  return (
    <article class={`order ${order.state}`} id={`order-${order.code}`} data-code={order.code}>
      <header>
        <strong class="code">{order.code}</strong>
        <span class="state">
          {(order.fulfillment.type === 'delivery' ? DELIVERY_LABELS[order.state] : undefined) ??
            STATE_LABELS[order.state]}
        </span>
      </header>
      <p class="meta">
        {order.fulfillment.type === 'delivery' ? 'Kitchen ready ' : 'Pickup '}
        {order.pickupSlot === undefined ? 'ASAP' : ctx.formatTime(order.pickupSlot)}
        {name === undefined ? '' : ` · ${name}`} · {paymentText(order, ctx.locale)}
        {ctx.staffEntered?.(order) === true ? <span class="badge staff"> Taken by staff</span> : null}
      </p>
      <DeliveryTo order={order} ctx={ctx} />
      <ul class="lines">
        {lines.map((line) => (
          <li>
            {line.quantity} × {line.name}
            {line.options.length === 0 ? null : (
              <small> ({line.options.map((o) => o.name).join(', ')})</small>
            )}
            {line.note === undefined || line.note === '' ? null : <em class="note"> Note: {line.note}</em>}
          </li>
        ))}
      </ul>
      <OrderActions order={order} csrf={ctx.csrf} />
    </article>
  );
};

/** Today's orders by state: what `/admin` shows and `/admin/orders` sends to the live page. */
export const OrderBoard: FC<{ orders: readonly Order[]; ctx: OrderCardContext }> = ({ orders, ctx }) => {
  if (orders.length === 0) {
    return <p class="empty">No orders yet today. They appear here as they come in.</p>;
  }
  const placed = (o: Order) => o.placedAt?.getTime() ?? 0;
  return (
    <>
      {GROUPS.map((group) => {
        const inGroup = orders
          .filter((o) => group.states.includes(o.state))
          .sort((a, b) => (group.oldestFirst ? placed(a) - placed(b) : placed(b) - placed(a)));
        return inGroup.length === 0 ? null : (
          <section class={`group ${group.id}`}>
            <h2>
              {group.title} <span class="count">{inGroup.length}</span>
            </h2>
            {inGroup.map((order) => (
              <OrderCard order={order} ctx={ctx} />
            ))}
          </section>
        );
      })}
    </>
  );
};

/** The whole dashboard body: the live order board, the refresh link, the status panel. */
export function dashboardBody(p: {
  orders: readonly Order[];
  ctx: OrderCardContext;
  status: readonly OwnerStatusLine[];
  /** The disk's alert, when it is short of space. */
  alert: string | undefined;
  /** The Pi's clock and power problems (appliance-alerts.tsx), when there are any. */
  appliance?: Child;
  ordering: OrderingState;
}): Child {
  return (
    <>
      <PausedBanner ordering={p.ordering} csrf={p.ctx.csrf} />
      {p.alert === undefined ? null : (
        <p class="flash error storage-alert" role="alert">
          {p.alert}
        </p>
      )}
      {p.appliance}
      <p class="hint intro">
        Today’s orders by what they need next: mark one ready when it is cooked, collected when it is picked
        up. The status below says whether orders are coming in, and why not. {guideLink('dashboard')}
      </p>
      <p class="refresh">
        <a href="/admin">Refresh</a> <span id="live" class="hint" />
      </p>
      <div id="orders" aria-live="polite">
        <OrderBoard orders={p.orders} ctx={p.ctx} />
      </div>
      <StatusPanel lines={p.status} ordering={p.ordering} csrf={p.ctx.csrf} />
      <script src={ASSETS.live} defer />
    </>
  );
}
