import type { Hono } from 'hono';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { AppEnv } from './app.js';
import { escapeHtml, page } from './html.js';

/** Where the terms and the privacy notice are, for the links agents and pages show. */
export const TERMS_PATH = '/legal/terms';
export const PRIVACY_PATH = '/legal/privacy';

function termsBody(s: ShopSettings): string {
  const shop = escapeHtml(s.profile.name);
  const contact = `${escapeHtml(s.profile.address)}, ${escapeHtml(s.profile.phone)}`;
  return `<h1>Ordering from ${shop}</h1>
<p>Orders placed through an assistant or an agent are prepared for pickup at ${contact}.</p>
<p>An order is only made once you confirm it on your own phone (or an agent pays it with a card you
authorised for this order). Prices are in ${escapeHtml(s.profile.currency)} and include everything shown
as the total: items, options, tax and any fee or tip.</p>
<p>You can cancel an order until it is paid. After that, please call the shop: it cancels and refunds it
if the kitchen has not started.</p>
<p>Questions: call ${escapeHtml(s.profile.phone)}.</p>`;
}

function privacyBody(s: ShopSettings): string {
  const shop = escapeHtml(s.profile.name);
  return `<h1>Your data at ${shop}</h1>
<p>To take your order ${shop} keeps your name (for the pickup ticket), your phone number (to confirm the
order and reach you if there is a problem) and what you ordered.</p>
<p>Card numbers are never stored here: a card is held by the payment provider and the shop keeps only
its brand and last four digits.</p>
<p>The data stays on the shop's own ordering device. It is not sold or shared, except with the payment
provider for payments. Ask the shop (${escapeHtml(s.profile.phone)}) to see or delete what it keeps
about you.</p>`;
}

/** The shop's terms and privacy notice: plain pages built from its settings, linked from checkout. */
export function mountLegalPages(app: Hono<AppEnv>, deps: { settings: () => ShopSettings }): void {
  app.get(TERMS_PATH, (c) => c.html(page('Terms', termsBody(deps.settings()))));
  app.get(PRIVACY_PATH, (c) => c.html(page('Privacy', privacyBody(deps.settings()))));
}
