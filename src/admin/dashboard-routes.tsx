import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { isAppError } from '../domain/app-error.js';
import { formatMoney } from '../domain/money.js';
import type { Order } from '../domain/order.js';
import type { OrderEvent } from '../domain/order-lifecycle.js';
import { liveStream } from '../http/live-stream.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { PowerState } from '../services/operations/power-flags.js';
import type { OrderRefunds } from '../services/orders/order-refunds.js';
import type { OrderService } from '../services/orders/order-service.js';
import { assistantReach } from '../services/shop/assistant-reach.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { WebhookEndpoints } from '../services/webhooks/webhook-endpoints.js';
import { CsrfField, messagePage } from './admin-layout.js';
import type { AdminPrinter, StatusLine } from './admin-ports.js';
import { type AdminEnv, type AdminModule, type AdminShell, OWNER_ACTOR } from './admin-shell.js';
import {
  dashboardBody,
  OrderBoard,
  type OrderCardContext,
  paymentText,
  STATE_LABELS,
} from './dashboard-view.js';
import type { OwnerEvents } from './owner-events.js';
import { type OwnerStatusInput, type OwnerStatusLine, orderingState, ownerStatus } from './owner-status.js';

/** What the dashboard reads and does. */
export interface DashboardDeps {
  readonly shop: Pick<ShopService, 'settings' | 'calendar' | 'formatTime' | 'info'>;
  /** Orders placed since `sinceMs`, and older ones still in play. */
  readonly ordersSince: (sinceMs: number) => readonly Order[];
  readonly order: (orderId: string) => Order | undefined;
  readonly orders: Pick<OrderService, 'transitionById'>;
  readonly refunds: OrderRefunds;
  /** The print queue's reprint: the order's ticket again, headed REPRINT. */
  readonly reprint: (orderId: string) => number;
  readonly status: () => readonly StatusLine[];
  readonly publicUrl: string;
  readonly printer: Pick<AdminPrinter, 'current'>;
  /** Each kitchen printer's state, the main one first, then the stations'. */
  readonly printers?: () => OwnerStatusInput['printers'];
  readonly signals: { status(): OwnerStatusInput['signals'] };
  readonly webhooks: Pick<WebhookEndpoints, 'list'>;
  /** Set while the disk is short of space: shown above everything, in plain words. */
  readonly storageAlert: () => string | undefined;
  /** The Pi's clock and power problems, above the board (src/admin/appliance-alerts.tsx). */
  readonly applianceAlerts?: (ctx: OrderCardContext) => Child;
  /** True while the clock is behind the shop's records: no order is taken (the order gate's rule). */
  readonly clockBehind?: () => boolean;
  /** The Pi's power supply as its firmware reports it. */
  readonly power?: () => PowerState;
  /** Whether staff keyed the order in (a phone or counter order): its card says so. */
  readonly staffEntered?: (order: Order) => boolean;
  readonly events: OwnerEvents;
  readonly clock: Clock;
  readonly log: Logger;
}

type C = Context<AdminEnv>;
const MAX_ORDERS = 300;
/** Money was taken for these: canceling means refunding. */
const MONEY_TAKEN = new Set(['demo_card', 'stripe', 'acp_delegated']);

/** The dashboard at `/admin`: today's orders with their buttons, the status panel, live by SSE. */
export function dashboardModule(deps: DashboardDeps): AdminModule {
  return {
    nav: { id: 'dashboard', label: 'Dashboard', path: '/admin' },
    mount(router, shell) {
      const todays = () => {
        const calendar = deps.shop.calendar();
        const start = calendar.toInstant(calendar.localParts(deps.clock.now()).date, 0);
        return deps.ordersSince(start.getTime()).slice(0, MAX_ORDERS);
      };
      const ctx = (c: C): OrderCardContext => ({
        csrf: c.get('csrf'),
        locale: deps.shop.settings().profile.locale,
        formatTime: deps.shop.formatTime,
        slotMinutes: deps.shop.settings().pickup.slotMinutes,
        staffEntered: deps.staffEntered,
      });

      router.get('/', (c) =>
        shell.render(c, {
          title: 'Orders today',
          nav: 'dashboard',
          body: dashboardBody({
            orders: todays(),
            ctx: ctx(c),
            status: statusOf(deps),
            alert: deps.storageAlert(),
            appliance: deps.applianceAlerts?.(ctx(c)),
            ordering: orderingState(deps.shop.info(), stoppedBy(deps), deps.shop.formatTime),
          }),
        }),
      );
      // The board alone, for the live page to swap in when an order changes.
      router.get('/orders', async (c) => c.html(await (<OrderBoard orders={todays()} ctx={ctx(c)} />)));
      // One `orders` event whenever any order changes; the page then fetches the board.
      router.get('/events', (c) =>
        liveStream(c, (push, closed) =>
          deps.events.subscribe((event) => push({ event: 'orders', data: event.orderId }), closed),
        ),
      );

      const move = (event: OrderEvent, done: (order: Order) => string) =>
        act(shell, deps, async (order) => done(deps.orders.transitionById(order.id, event, OWNER_ACTOR)));
      router.post(
        '/orders/:id/ready',
        move('mark_ready', (o) => `Order ${o.code} is ready for pickup.`),
      );
      router.post(
        '/orders/:id/collected',
        move('collect', (o) => `Order ${o.code} is collected.`),
      );
      router.post(
        '/orders/:id/reprint',
        act(shell, deps, async (order) => {
          deps.reprint(order.id);
          shell.ownerAction('order.reprint', order.id);
          return `Ticket ${order.code} prints again, headed REPRINT.`;
        }),
      );
      router.get('/orders/:id/cancel', (c) => cancelPage(c, shell, deps));
      router.post(
        '/orders/:id/cancel',
        act(shell, deps, async (order) => {
          const locale = deps.shop.settings().profile.locale;
          if (order.state === 'cart' || order.state === 'awaiting_confirmation') {
            deps.orders.transitionById(order.id, 'cancel', OWNER_ACTOR);
            return `Order ${order.code} is canceled; nothing was paid.`;
          }
          try {
            const { refunded } = await deps.refunds.cancelPaid(order.id, OWNER_ACTOR);
            const total = formatMoney(order.priced?.totals.total ?? 0, order.currency, locale);
            if (refunded) return `Order ${order.code} is canceled and ${total} refunded.`;
            return order.payment?.method === 'pay_at_pickup'
              ? `Order ${order.code} is canceled; it was to be paid at pickup, so nothing is refunded.`
              : `Order ${order.code} is canceled; hand the ${total} paid at the counter back at the till.`;
          } catch (error) {
            shell.ownerAction('order.refund', order.id, {
              outcome: isAppError(error) ? error.code : 'internal',
            });
            throw error;
          }
        }),
      );
    },
  };
}

/** A POST on one order: runs `fn`, then back to the dashboard with what happened (or why not). */
function act(shell: AdminShell, deps: DashboardDeps, fn: (order: Order) => Promise<string>) {
  return async (c: C) => {
    const order = deps.order(c.req.param('id') ?? '');
    if (order === undefined) {
      shell.flash(c, 'error', 'There is no such order.');
      return c.redirect('/admin', 303);
    }
    try {
      shell.flash(c, 'ok', await fn(order));
    } catch (error) {
      if (!isAppError(error)) throw error;
      deps.log.info({ order_id: order.id, code: error.code }, 'owner action refused');
      shell.flash(c, 'error', `Order ${order.code}: ${error.message}`);
    }
    return c.redirect('/admin', 303);
  };
}

/** Canceling (and refunding) asks first, saying what will happen to the money. */
function cancelPage(c: C, shell: AdminShell, deps: DashboardDeps) {
  const order = deps.order(c.req.param('id') ?? '');
  if (order === undefined) {
    return shell.render(c, { title: 'Not found', body: messagePage('There is no such order.'), status: 404 });
  }
  const unpaid = order.state === 'cart' || order.state === 'awaiting_confirmation';
  const paid = order.payment !== undefined && MONEY_TAKEN.has(order.payment.method);
  const money = unpaid
    ? 'Nothing was paid yet; the customer’s confirmation link stops working.'
    : paid
      ? `The customer paid ${paymentText(order, deps.shop.settings().profile.locale)}: it is refunded through the payment provider.`
      : order.payment?.method === 'pay_at_pickup'
        ? 'It was to be paid at pickup: nothing is refunded.'
        : `It was paid at the counter (${paymentText(order, deps.shop.settings().profile.locale)}): hand the money back at the till.`;
  return shell.render(c, {
    title: `Cancel order ${order.code}?`,
    nav: 'dashboard',
    body: (
      <section class="card">
        <p>
          {order.code} · {STATE_LABELS[order.state]}
        </p>
        <p>{money}</p>
        <form method="post" action={`/admin/orders/${order.id}/cancel`}>
          <CsrfField token={c.get('csrf')} />
          <button type="submit" class="danger">
            {paid && !unpaid ? 'Cancel and refund' : 'Cancel the order'}
          </button>
        </form>
        <p>
          <a href="/admin">Keep the order</a>
        </p>
      </section>
    ),
  });
}

/** Why the appliance takes no new order now, if it does not: the clock first, as the order gate asks. */
function stoppedBy(deps: DashboardDeps): string | undefined {
  if (deps.clockBehind?.() === true) return 'the Pi’s clock is not set yet';
  if (deps.storageAlert() !== undefined) return 'the memory card is short of space';
  return undefined;
}

/** The status panel's lines: the same words and verdicts as the Connect and Settings pages. */
function statusOf(deps: DashboardDeps): OwnerStatusLine[] {
  const lines = deps.status();
  const tunnel = lines.find((l) => l.name === 'tunnel') ?? { ok: false, detail: 'not checked yet' };
  return ownerStatus({
    lines,
    reach: assistantReach(deps.publicUrl, tunnel),
    printer: deps.printer.current(),
    signals: deps.signals.status(),
    webhookReceivers: deps.webhooks.list().length,
    formatTime: deps.shop.formatTime,
    ...(deps.power === undefined ? {} : { power: deps.power() }),
    ...(deps.printers === undefined ? {} : { printers: deps.printers() }),
  });
}
