import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import { isAppError } from '../domain/app-error.js';
import { addressLine, arrivalWindow } from '../domain/delivery.js';
import type { Order } from '../domain/order.js';
import type { ConfirmationService } from '../services/payments/confirmation-service.js';
import { CONFIRM_PATH } from '../services/payments/confirmation-service.js';
import type { PaymentMethod } from '../services/payments/payment-port.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AppEnv } from './app.js';
import { confirmOutcomePage, confirmPage } from './confirm-pages.js';
import { FOLLOW_CSP } from './order-follow.js';
import { readFormBody } from './read-form.js';

const COOKIE = 'cp_confirm';
// Self-contained: no scripts, no external assets; images only inline (the QR code). After an approval,
// the opt-in's own script and worker too (FOLLOW_CSP).
const SELF_CONTAINED = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'";
/** How the page words each way to pay. */
const METHOD_LABELS: Record<PaymentMethod, string> = {
  online: 'Pay now by card',
  pay_at_pickup: 'Pay when I pick it up',
};

export interface ConfirmRoutesDeps {
  readonly confirmations: ConfirmationService;
  readonly shop: ShopService;
  /** Server secret the form tokens are made with. */
  readonly csrfKey: string;
  readonly publicUrl: string;
  /** The embedded demo provider takes no real money: the page says so. */
  readonly demo: boolean;
  /** The app a confirmation also signs in (a CIBA request waiting on it), to name on the page. */
  readonly cibaClientOf?: (
    authReqId: string,
  ) => Promise<{ name: string; host: string | undefined } | undefined>;
  /** The "know when it's ready" opt-in shown after an approval (src/http/order-follow.ts). */
  readonly follow?: (order: Order) => string;
}

/**
 * The page behind the confirmation link: the customer checks the binding message and the order on
 * their own phone and approves (and pays) or denies, once. Forms carry a token bound to a cookie the
 * page set (CSRF); a decided or expired link shows what happened instead.
 */
export function mountConfirmPages(app: Hono<AppEnv>, deps: ConfirmRoutesDeps): void {
  const secure = deps.publicUrl.startsWith('https://');
  const formToken = (link: string, browser: string) =>
    createHmac('sha256', deps.csrfKey).update(`confirm:${link}:${browser}`).digest('base64url');
  const pickupText = (order: Order) =>
    order.pickupSlot === undefined ? 'as soon as it is ready' : deps.shop.formatTime(order.pickupSlot);
  const deliveryText = (order: Order): string | undefined => {
    const f = order.fulfillment;
    if (f.type !== 'delivery') return undefined;
    const window = arrivalWindow(f, order.pickupSlot, deps.shop.settings().pickup.slotMinutes);
    return `${addressLine(f.address)}${window === undefined ? '' : `, around ${deps.shop.formatTime(window.start)}`}`;
  };
  const when = (order: Order) => {
    const delivery = deliveryText(order);
    return { pickupText: pickupText(order), ...(delivery === undefined ? {} : { deliveryText: delivery }) };
  };
  const html = (body: string, status: 200 | 400 | 403 | 404 | 409 | 503 = 200, csp = SELF_CONTAINED) =>
    new Response(body, {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': csp,
      },
    });

  app.get(`${CONFIRM_PATH}/:token`, async (c) => {
    const token = c.req.param('token');
    const found = deps.confirmations.byLink(token);
    if (found === undefined) return html(confirmOutcomePage('not_found'), 404);
    const { request, order } = found;
    const shopName = deps.shop.settings().profile.name;
    if (request.state !== 'pending') {
      const kind =
        request.state === 'expired' ? 'expired' : request.state === 'denied' ? 'denied' : 'already';
      return html(confirmOutcomePage(kind, { shopName, code: order.code, ...when(order) }));
    }
    let browser = getCookie(c, COOKIE);
    if (browser === undefined || !/^[A-Za-z0-9_-]{22,64}$/.test(browser)) {
      browser = randomBytes(24).toString('base64url');
      setCookie(c, COOKIE, browser, { httpOnly: true, sameSite: 'Strict', secure, path: CONFIRM_PATH });
    }
    const settings = deps.shop.settings();
    const link = deps.confirmations.linkOf(request);
    const qr = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const body = confirmPage({
      shopName,
      bindingMessage: request.bindingMessage,
      priced: order.priced ?? { currency: order.currency, lines: [], totals: emptyTotals() },
      locale: settings.profile.locale,
      ...when(order),
      customerName: order.customerName,
      minutesLeft: Math.max(1, Math.ceil((request.expiresAt.getTime() - Date.now()) / 60_000)),
      payments: deps.confirmations.methods.map((value) => ({
        value,
        label:
          value === 'online' && deps.demo
            ? 'Pay now (demo card, no money moves)'
            : value === 'pay_at_pickup' && order.fulfillment.type === 'delivery'
              ? 'Pay on delivery'
              : METHOD_LABELS[value],
      })),
      action: `${CONFIRM_PATH}/${token}`,
      csrf: formToken(token, browser),
      qrSvg: qr,
      signsIn: await deps.cibaClientOf?.(request.authReqId),
    });
    const response = html(body);
    for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
    return response;
  });

  app.post(`${CONFIRM_PATH}/:token`, async (c) => {
    const token = c.req.param('token');
    const form = await readFormBody(c);
    const browser = getCookie(c, COOKIE) ?? '';
    const sent = typeof form.csrf === 'string' ? Buffer.from(form.csrf) : Buffer.alloc(0);
    const expected = Buffer.from(formToken(token, browser));
    if (browser === '' || sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      return html(confirmOutcomePage('refused'), 403);
    }
    const decision = form.decision === 'deny' ? 'deny' : form.decision === 'approve' ? 'approve' : undefined;
    const method = deps.confirmations.methods.find((m) => m === form.payment);
    if (decision === undefined || (decision === 'approve' && method === undefined)) {
      return html(confirmOutcomePage('refused'), 400);
    }
    const shopName = deps.shop.settings().profile.name;
    try {
      if (decision === 'deny') {
        deps.confirmations.deny(token);
        return html(confirmOutcomePage('denied', { shopName }));
      }
      const outcome = await deps.confirmations.approve(token, method ?? 'online');
      if (outcome.kind === 'redirect') return c.redirect(outcome.url, 303);
      if (!('order' in outcome)) {
        return html(confirmOutcomePage('payment_failed', { shopName, message: outcome.message }), 409);
      }
      const kind = outcome.kind === 'pay_at_pickup' ? 'pay_at_pickup' : 'approved';
      const { order } = outcome;
      const follow = deps.follow?.(order);
      const body = confirmOutcomePage(kind, { shopName, code: order.code, ...when(order), follow });
      return html(body, 200, follow === undefined ? SELF_CONTAINED : FOLLOW_CSP);
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'not_found') return html(confirmOutcomePage('not_found'), 404);
      // The shop's disk is full: nothing was recorded or charged, and the same link works again later.
      if (error.code === 'storage_full')
        return html(confirmOutcomePage('payment_failed', { shopName, message: error.message }), 503);
      const expired = error.details.state === 'expired';
      return html(confirmOutcomePage(expired ? 'expired' : 'already', { shopName }), 409);
    }
  });
}

function emptyTotals() {
  return {
    itemsBase: 0,
    subtotal: 0,
    tax: 0,
    taxBreakdown: [],
    taxIncluded: false,
    fee: 0,
    tip: 0,
    total: 0,
  };
}
