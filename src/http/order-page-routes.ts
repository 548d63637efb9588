import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Order } from '../domain/order.js';
import type { Clock } from '../platform/clock.js';
import type { NoticeOutcome, OrderNotices } from '../services/notify/order-notices.js';
import type { OrderWatch } from '../services/notify/order-watch.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AppEnv } from './app.js';
import { page } from './html.js';
import { parseJsonBody } from './json-body.js';
import { liveStream } from './live-stream.js';
import { FOLLOW_CSP, followBlock, mountOrderFollowAssets } from './order-follow.js';
import type { OrderStampCard } from './order-page-items.js';
import { FINAL_STATES, orderPageBody } from './order-page-view.js';
import { readBodyText } from './read-body.js';
import { readFormBody } from './read-form.js';

/** Where an order's own page is: the permalink agents get and the QR on the kitchen ticket. */
export const ORDER_PAGE_PATH = '/o';

export function orderPageUrl(publicUrl: string, orderId: string): string {
  return `${publicUrl}${ORDER_PAGE_PATH}/${orderId}`;
}

/** Seconds between the refreshes of a page without JavaScript. */
export const NOSCRIPT_REFRESH_SECONDS = 30;

/** What the order page needs. */
export interface OrderPageDeps {
  readonly order: (id: string) => Order | undefined;
  readonly shop: ShopService;
  readonly clock: Clock;
  readonly watch: OrderWatch;
  readonly notices: OrderNotices;
  readonly vapidPublicKey: string;
  /** The stamp card of the customer who placed the order, when they signed in and the shop has one. */
  readonly stampCard?: ((order: Order) => OrderStampCard | undefined) | undefined;
}

/** A subscription as PushSubscription.toJSON() sends it: an http(s) endpoint, a P-256 point, a 16-byte secret. */
const subscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(1000),
  keys: z.object({
    p256dh: z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}=?$/)
      .transform(unpadded),
    auth: z
      .string()
      .regex(/^[A-Za-z0-9_-]{22}(==)?$/)
      .transform(unpadded),
  }),
});
const emailSchema = z.email().max(254);

/** base64url as RFC 8291 writes it: without padding. */
function unpadded(text: string): string {
  return text.replace(/=+$/, '');
}

/** What the page says, once, after the email form. */
const EMAIL_NOTES: Readonly<Record<NoticeOutcome | 'invalid', string>> = {
  saved: 'A receipt is on its way to your inbox; another email follows when the order is ready.',
  already: 'An email address was already given for this order.',
  full: 'An email address was already given for this order.',
  closed: 'This order no longer sends emails.',
  off: 'The shop does not send emails.',
  invalid: 'That does not look like an email address: check it and try again.',
};

/** The note for a `?email=` the page's own redirect set; anything else says nothing. */
function emailNote(key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(EMAIL_NOTES, key)
    ? EMAIL_NOTES[key as keyof typeof EMAIL_NOTES]
    : undefined;
}

function notFound(c: Context<AppEnv>) {
  return c.html(
    page('Order not found', '<h1>Order not found</h1><p>Check the link or ask the shop.</p>'),
    404,
  );
}

/**
 * The order's public page (its id is an unguessable 80-bit token): status and timeline, code, pickup
 * time (or the delivery address and window), the kitchen's estimate and the first name only — no
 * phone number, no surname, no email, nothing else about the customer. It follows the order by itself
 * (server-sent events; a meta refresh without JavaScript) and offers a "ready" notification.
 */
export function mountOrderPage(app: Hono<AppEnv>, deps: OrderPageDeps): void {
  const live = (id: string) => {
    const order = deps.order(id);
    return order === undefined || order.state === 'cart' ? undefined : order;
  };
  mountOrderFollowAssets(app);

  app.get(`${ORDER_PAGE_PATH}/:id`, (c) => {
    const order = live(c.req.param('id'));
    if (order === undefined) return notFound(c);
    const final = FINAL_STATES.has(order.state);
    const follow =
      final || order.state === 'ready'
        ? ''
        : followBlock({
            orderId: order.id,
            vapidPublicKey: deps.vapidPublicKey,
            emailForm: deps.notices.emailOn() && order.state !== 'awaiting_confirmation',
            emailNote: emailNote(c.req.query('email')),
          });
    const head = final
      ? ''
      : `<noscript><meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_SECONDS}"></noscript>`;
    c.header('cache-control', 'no-store');
    c.header('content-security-policy', FOLLOW_CSP);
    return c.html(
      page(
        `Order ${order.code}`,
        orderPageBody(order, deps.shop, deps.clock.now(), follow, deps.stampCard?.(order)),
        head,
      ),
    );
  });

  app.get(`${ORDER_PAGE_PATH}/:id/events`, (c) => {
    const order = live(c.req.param('id'));
    if (order === undefined) return notFound(c);
    c.header('cache-control', 'no-store');
    return liveStream(c, (push, closed) => {
      const unwatch = deps.watch.watch(
        order.id,
        (moved) =>
          push({
            event: 'order',
            data: FINAL_STATES.has(moved.state) ? 'final' : moved.state,
            last: FINAL_STATES.has(moved.state),
          }),
        closed,
      );
      // Moved between the page's load and this stream: say so at once, the page fetches itself again.
      if (unwatch !== undefined && FINAL_STATES.has(order.state))
        push({ event: 'order', data: 'final', last: true });
      return unwatch;
    });
  });

  app.post(`${ORDER_PAGE_PATH}/:id/push`, async (c) => {
    const order = live(c.req.param('id'));
    if (order === undefined) return notFound(c);
    // JSON only: a form from another site cannot send it without the browser asking this origin first.
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      return c.text('Send JSON.', 415);
    const parsed = subscriptionSchema.safeParse(safeJson(await readBodyText(c, 4096)));
    if (!parsed.success) return c.text('This is not a push subscription.', 400);
    const outcome = deps.notices.subscribePush(order.id, parsed.data);
    if (outcome === 'saved') return c.body(null, 201);
    return c.text(outcome === 'full' ? 'Enough phones follow this order.' : 'This order is finished.', 409);
  });

  app.post(`${ORDER_PAGE_PATH}/:id/email`, async (c) => {
    const order = live(c.req.param('id'));
    if (order === undefined) return notFound(c);
    const email = emailSchema.safeParse(String((await readFormBody(c)).email ?? '').trim());
    const outcome = email.success ? deps.notices.askEmail(order.id, email.data) : 'invalid';
    return c.redirect(`${ORDER_PAGE_PATH}/${order.id}?email=${outcome}#follow`, 303);
  });
}

function safeJson(text: string): unknown {
  try {
    return parseJsonBody(text);
  } catch {
    return undefined;
  }
}
