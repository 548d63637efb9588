import { dealOfLines } from '../domain/deal-groups.js';
import { formatMoney } from '../domain/money.js';
import { asDiscounted } from '../domain/offers.js';
import type { PricedOrder } from '../domain/pricing.js';
import { escapeHtml, page } from './html.js';

/** What the confirmation page shows: the shop, the binding message and the order. */
export interface ConfirmPageModel {
  readonly shopName: string;
  readonly bindingMessage: string;
  readonly priced: PricedOrder;
  readonly locale: string;
  readonly pickupText: string;
  /** Where and when a delivery arrives; set, it replaces the pickup time. */
  readonly deliveryText?: string | undefined;
  readonly customerName: string | undefined;
  /** Minutes left to decide, for the line under the buttons. */
  readonly minutesLeft: number;
  /** The ways to pay this shop offers on the page. */
  readonly payments: readonly { readonly value: string; readonly label: string }[];
  readonly action: string;
  readonly csrf: string;
  /** The link as an SVG QR code, to move from a computer to the phone. */
  readonly qrSvg: string;
  /** An app that confirming also signs in as this customer (OpenID CIBA), named before they decide. */
  readonly signsIn?: { readonly name: string; readonly host: string | undefined } | undefined;
}

function itemsTable(model: ConfirmPageModel): string {
  const m = (amount: number) => escapeHtml(formatMoney(amount, model.priced.currency, model.locale));
  const priced = asDiscounted(model.priced);
  const deals = dealOfLines(priced.applied);
  let lastDeal: string | undefined;
  const rows = priced.lines.map((line, i) => {
    const options =
      line.options.length === 0
        ? ''
        : `<br><small>${line.options.map((o) => escapeHtml(o.name)).join(', ')}</small>`;
    const note = line.note === undefined ? '' : `<br><small>Note: ${escapeHtml(line.note)}</small>`;
    const deal = deals.get(i)?.name;
    const head =
      deal !== undefined && deal !== lastDeal
        ? `<tr><td></td><td><b>${escapeHtml(deal)}</b></td><td></td></tr>`
        : '';
    lastDeal = deal;
    const indent = deal === undefined ? '' : ' class="part"';
    const off = line.discount === 0 ? '' : `<br><small>−${m(line.discount)}</small>`;
    return `${head}<tr><td>${line.quantity} ×</td><td${indent}>${escapeHtml(line.name)}${options}${note}</td><td class="r">${m(line.lineTotal)}${off}</td></tr>`;
  });
  const t = priced.totals;
  const applied = priced.applied
    .map(
      (a) =>
        `<tr><td></td><td>${escapeHtml(a.code === undefined ? a.name : `${a.name} (${a.code})`)}</td><td class="r">−${m(a.amount)}</td></tr>`,
    )
    .join('');
  const extra = [
    applied,
    t.taxIncluded ? '' : `<tr><td></td><td>Tax</td><td class="r">${m(t.tax)}</td></tr>`,
    t.fee > 0 ? `<tr><td></td><td>Service fee</td><td class="r">${m(t.fee)}</td></tr>` : '',
    t.tip > 0 ? `<tr><td></td><td>Tip</td><td class="r">${m(t.tip)}</td></tr>` : '',
    t.delivery === undefined ? '' : `<tr><td></td><td>Delivery</td><td class="r">${m(t.delivery)}</td></tr>`,
  ].join('');
  return `<table>${rows.join('')}${extra}<tr class="total"><td></td><td>Total${t.taxIncluded ? ' (tax included)' : ''}</td><td class="r">${m(t.total)}</td></tr></table>`;
}

const TABLE_STYLE = `<style>table{width:100%;border-collapse:collapse;margin:1rem 0}td{padding:.35rem .2rem;vertical-align:top;border-bottom:1px solid #eee}
.r{text-align:right;white-space:nowrap}.total td{font-weight:700;border-bottom:0}.part{padding-left:1.2rem}.binding{font-size:1.15rem;font-weight:700;background:#f4f4f4;padding:.75rem;border-radius:.4rem}
fieldset{border:0;padding:0;margin:1rem 0}fieldset label{font-weight:400;display:flex;gap:.5rem;align-items:center}fieldset input{width:auto}</style>`;

/** The page the customer opens from the assistant: check the order, then approve (and pay) or deny. */
export function confirmPage(model: ConfirmPageModel): string {
  const hidden = `<input type="hidden" name="csrf" value="${escapeHtml(model.csrf)}">`;
  const choices =
    model.payments.length <= 1
      ? `<input type="hidden" name="payment" value="${escapeHtml(model.payments[0]?.value ?? '')}">`
      : `<fieldset><legend>How do you pay?</legend>${model.payments
          .map(
            (p, i) =>
              `<label><input type="radio" name="payment" value="${escapeHtml(p.value)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(p.label)}</label>`,
          )
          .join('')}</fieldset>`;
  return page(
    `Confirm your order at ${model.shopName}`,
    `${TABLE_STYLE}<h1>${escapeHtml(model.shopName)}</h1>
<p class="binding">${escapeHtml(model.bindingMessage)}</p>
<p class="hint">Check that your assistant shows the same words before you confirm.</p>
${itemsTable(model)}
${
  model.signsIn === undefined
    ? ''
    : `<p class="binding">Confirming also signs in <strong>${escapeHtml(model.signsIn.name)}</strong>${model.signsIn.host === undefined ? '' : ` (${escapeHtml(model.signsIn.host)})`} as you, so it can order for you. Decline if you do not know it.</p>`
}
<p>${model.deliveryText === undefined ? `Pickup: <strong>${escapeHtml(model.pickupText)}</strong>` : `Delivery to: <strong>${escapeHtml(model.deliveryText)}</strong>`}${model.customerName === undefined ? '' : ` · for ${escapeHtml(model.customerName)}`}</p>
<form method="post" action="${escapeHtml(model.action)}">${hidden}${choices}
<button type="submit" name="decision" value="approve">Confirm and pay</button>
<button type="submit" name="decision" value="deny" class="secondary">This is not my order</button></form>
<p class="hint">This link works for ${model.minutesLeft} more minute${model.minutesLeft === 1 ? '' : 's'} and only once.</p>
<details><summary>On a computer? Scan to continue on your phone</summary><div style="max-width:12rem">${model.qrSvg}</div></details>`,
  );
}

/** The page after a decision, or for a link that can no longer be used. */
export function confirmOutcomePage(
  kind:
    | 'approved'
    | 'pay_at_pickup'
    | 'denied'
    | 'expired'
    | 'already'
    | 'not_found'
    | 'refused'
    | 'payment_failed',
  detail: {
    shopName?: string;
    code?: string;
    pickupText?: string;
    deliveryText?: string;
    message?: string;
    /** After an approval: the link to the order's page and the "ready" opt-in, as HTML. */
    follow?: string | undefined;
  } = {},
): string {
  const shop = escapeHtml(detail.shopName ?? 'the shop');
  const code = escapeHtml(detail.code ?? '');
  const delivery = detail.deliveryText === undefined ? undefined : escapeHtml(detail.deliveryText);
  const bodies: Record<typeof kind, [string, string]> = {
    approved: [
      'Thank you!',
      delivery === undefined
        ? `<p>Order <strong>${code}</strong> is paid and on its way to the kitchen.</p><p>Pickup: <strong>${escapeHtml(detail.pickupText ?? '')}</strong>. Show the code ${code} at the counter.</p>`
        : `<p>Order <strong>${code}</strong> is paid and on its way to the kitchen.</p><p>Delivery to: <strong>${delivery}</strong>.</p>`,
    ],
    pay_at_pickup: [
      'Confirmed',
      delivery === undefined
        ? `<p>Order <strong>${code}</strong> is confirmed and on its way to the kitchen. You pay when you pick it up.</p><p>Pickup: <strong>${escapeHtml(detail.pickupText ?? '')}</strong>.</p>`
        : `<p>Order <strong>${code}</strong> is confirmed and on its way to the kitchen. You pay on delivery.</p><p>Delivery to: <strong>${delivery}</strong>.</p>`,
    ],
    denied: ['Not ordered', `<p>Nothing was ordered and nothing was charged. You can close this page.</p>`],
    expired: [
      'This link has expired',
      `<p>Nothing was ordered. Ask your assistant to place the order again for a new link.</p>`,
    ],
    already: [
      'Already decided',
      `<p>This order was already confirmed or declined; nothing changed. Ask ${shop} if in doubt.</p>`,
    ],
    payment_failed: [
      'Payment not taken',
      `<p>${escapeHtml(detail.message ?? 'The payment did not go through.')}</p><p>Nothing was charged. Go back and try again.</p>`,
    ],
    refused: [
      'Please try again',
      '<p>This form was not sent from the confirmation page, or it is out of date. Open the link again and choose once more.</p>',
    ],
    not_found: [
      'Link not found',
      `<p>This confirmation link is not valid. Check that you opened the whole link.</p>`,
    ],
  };
  const [title, body] = bodies[kind];
  return page(title, `<h1>${title}</h1>${body}${detail.follow ?? ''}`);
}
