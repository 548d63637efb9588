import { APP_BRIDGE_SCRIPT, WIDGET_THEME_CSS } from './app-bridge-script.js';

/**
 * The pure helpers of the order widget (no DOM, no bridge): inlined into the page and run in node:vm by the
 * tests, so what is tested is what ships.
 */
export const ORDER_LOGIC_SCRIPT = String.raw`
var ORDER_STATUS = {
  cart: ['Not placed yet', 'info'],
  awaiting_confirmation: ['Waiting for payment', 'warn'],
  paid: ['Paid \u00b7 in the queue', 'ok'],
  in_kitchen: ['Being prepared', 'ok'],
  ready: ['Ready for pickup', 'ok'],
  collected: ['Collected', 'neutral'],
  canceled: ['Canceled', 'bad'],
  expired: ['Expired', 'bad'],
  refunded: ['Refunded', 'neutral'],
};

function statusBadge(status) {
  var known = ORDER_STATUS[status];
  return known ? { label: known[0], tone: known[1] } : { label: String(status), tone: 'neutral' };
}

function isLive(status) {
  return status === 'awaiting_confirmation' || status === 'paid' || status === 'in_kitchen';
}

function totalRows(totals) {
  var rows = [];
  // Discounts are already out of the subtotal; shown first so the subtotal reads as what is charged.
  if (totals.discount && totals.discount.amount !== 0) rows.push(['Discounts', '\u2212' + totals.discount.display]);
  rows.push(['Subtotal', totals.subtotal.display]);
  if (totals.tax.amount !== 0) rows.push([totals.tax_included ? 'Tax (included)' : 'Tax', totals.tax.display]);
  if (totals.fee.amount !== 0) rows.push(['Fee', totals.fee.display]);
  if (totals.tip.amount !== 0) rows.push(['Tip', totals.tip.display]);
  if (totals.delivery) rows.push(['Delivery', totals.delivery.display]);
  rows.push(['Total', totals.total.display]);
  return rows;
}

function fulfillmentLine(order) {
  var f = order.fulfillment;
  if (!f || f.type !== 'delivery') return order.pickup && order.pickup.display ? 'Pickup ' + order.pickup.display : '';
  var parts = [f.display];
  if (f.fee) parts.push('fee ' + f.fee.display);
  if (f.arrival_window) parts.push('arrives ' + f.arrival_window.display);
  return parts.join(' \u00b7 ');
}

function lineTitle(line) {
  return line.quantity + ' \u00d7 ' + line.name;
}

function webLink(url) {
  try {
    var u = new URL(String(url));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch (e) {
    return null;
  }
}
`;

const ORDER_CSS = `
.head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
h1 { margin: 0; font-size: 20px; }
.code { font-family: var(--font-mono, ui-monospace, monospace); letter-spacing: 0.04em; }
.badge.info { background: var(--c-info-bg); color: var(--c-info-fg); }
.badge.warn { background: var(--c-warn-bg); color: var(--c-warn-fg); }
.badge.ok { background: var(--c-ok-bg); color: var(--c-ok-fg); }
.badge.bad { background: var(--c-bad-bg); color: var(--c-bad-fg); }
.badge.neutral { background: var(--color-background-secondary, var(--c-bg2)); }
.meta { margin: 6px 0 0; font-size: 15px; }
.lines { list-style: none; margin: 12px 0 0; padding: 0; border-top: 1px solid var(--color-border-primary, var(--c-line)); }
.line { display: flex; justify-content: space-between; gap: 12px; padding: 10px 0;
  border-bottom: 1px solid var(--color-border-primary, var(--c-line)); }
.line .what { min-width: 0; }
.line .title { font-weight: 600; }
.line .opts, .line .note { margin: 2px 0 0; font-size: 14px; }
.line .note { font-style: italic; }
.line .amount { white-space: nowrap; font-variant-numeric: tabular-nums; }
.totals { margin: 10px 0 0; display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; }
.totals dt { margin: 0; }
.totals dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.totals .grand { font-weight: 700; font-size: 18px; padding-top: 4px; }
.notice h2 { font-size: 15px; margin: 0 0 4px; }
.notice ul { margin: 0; padding-left: 20px; }
.pay { margin: 14px 0 0; }
.pay a {
  display: block; text-align: center; text-decoration: none; padding: 14px 16px; font-size: 18px;
  border-radius: var(--border-radius-lg, 14px);
}
.pay .url { font-size: 13px; margin: 6px 0 0; word-break: break-all; user-select: all; }
.actions { margin: 12px 0 0; display: flex; justify-content: flex-end; }
.order + .order { margin-top: 20px; padding-top: 16px; border-top: 2px solid var(--color-border-primary, var(--c-line)); }
`;

const ORDER_BODY = `
<main id="orders">
  <p class="muted" id="status" role="status">Loading the order\u2026</p>
</main>`;

const ORDER_SCRIPT = String.raw`
var STATUS_TOOL = 'get_order_status';
var root = document.getElementById('orders');

function showText(text) {
  root.replaceChildren(el('p', { class: 'muted', role: 'status', text: text }));
}

var bridge = createAppBridge({
  appInfo: { name: 'counterpi-order', version: '1.0.0' },
  onToolResult: render,
  onToolCancelled: function () { showText('Cancelled.'); },
});

function render(result) {
  if (result.isError) {
    root.replaceChildren(el('p', { class: 'notice bad', role: 'alert', text: textOf(result) || 'Something went wrong.' }));
    return;
  }
  var data = result.structuredContent || {};
  var orders = Array.isArray(data.orders) ? data.orders : data.order_id ? [data] : [];
  if (orders.length === 0) {
    showText(textOf(result) || 'No order to show.');
    return;
  }
  root.replaceChildren.apply(root, orders.map(orderView));
}

function lineView(line) {
  var options = Array.isArray(line.options) ? line.options : [];
  return el('li', { class: 'line' }, [
    el('div', { class: 'what' }, [
      el('div', { class: 'title', text: lineTitle(line) }),
      options.length
        ? el('p', { class: 'opts muted', text: options.map(function (o) { return o.name; }).join(', ') })
        : null,
      line.note ? el('p', { class: 'note muted', text: 'Note: ' + line.note }) : null,
    ]),
    el('span', { class: 'amount', text: line.line_total.display }),
  ]);
}

function totalsView(totals) {
  var rows = totalRows(totals);
  var cells = [];
  rows.forEach(function (row, i) {
    var grand = i === rows.length - 1 ? 'grand' : undefined;
    cells.push(el('dt', { class: grand, text: row[0] }), el('dd', { class: grand, text: row[1] }));
  });
  return el('dl', { class: 'totals' }, cells);
}

function problemsView(problems) {
  return el('section', { class: 'notice warn', 'aria-label': 'Needs fixing' }, [
    el('h2', { text: 'Before this order can be placed' }),
    el('ul', {}, problems.map(function (p) {
      return el('li', { text: p.suggestion ? p.message + ' ' + p.suggestion : p.message });
    })),
  ]);
}

function payView(url) {
  var link = el('a', { class: 'primary', href: url, target: '_blank', rel: 'noopener noreferrer',
    text: 'Confirm & pay on your phone' });
  link.addEventListener('click', function (ev) {
    if (!bridge.canOpenLinks()) return;
    ev.preventDefault();
    bridge.openLink(url).catch(function () { window.open(url, '_blank', 'noopener'); });
  });
  return el('div', { class: 'pay' }, [link, el('p', { class: 'url muted', text: url })]);
}

function refreshButton(order, view) {
  var button = el('button', { type: 'button', class: 'secondary', text: 'Check status' });
  button.addEventListener('click', function () {
    button.disabled = true;
    bridge
      .callTool(STATUS_TOOL, { order_id: order.order_id })
      .then(function (result) {
        var next = result.structuredContent;
        if (!next || !next.order_id) throw new Error('no order came back');
        view.replaceWith(orderView(next));
      })
      .catch(function (err) {
        button.disabled = false;
        button.textContent = 'Check status (failed: ' + err.message + ')';
      });
  });
  return el('div', { class: 'actions' }, [button]);
}

function orderView(order) {
  var badge = statusBadge(order.status);
  var customer = order.customer && order.customer.name ? ' \u00b7 for ' + order.customer.name : '';
  var pickup = fulfillmentLine(order);
  var note = order.fulfillment && order.fulfillment.note;
  var problems = Array.isArray(order.problems) ? order.problems : [];
  var dropped = Array.isArray(order.dropped) ? order.dropped : [];
  var link = order.confirmation_url ? webLink(order.confirmation_url) : null;
  var view = el('article', { class: 'order', 'aria-label': 'Order ' + order.code }, [
    el('div', { class: 'head' }, [
      el('h1', {}, ['Order ', el('span', { class: 'code', text: order.code })]),
      el('span', { class: 'badge ' + badge.tone, text: badge.label }),
    ]),
    pickup || customer ? el('p', { class: 'meta muted', text: pickup + customer }) : null,
    note ? el('p', { class: 'meta muted', text: note }) : null,
    dropped.length
      ? el('p', { class: 'notice warn', text: 'Left out, not available: ' + dropped.join(', ') })
      : null,
    problems.length ? problemsView(problems) : null,
    el('ul', { class: 'lines', 'aria-label': 'Items' }, (order.lines || []).map(lineView)),
    order.totals ? totalsView(order.totals) : null,
    link ? payView(link) : null,
  ]);
  if (isLive(order.status)) view.appendChild(refreshButton(order, view));
  return view;
}

bridge.connect().catch(function () {
  showText('Could not reach the chat app. The order is in the assistant\u2019s reply.');
});
`;

// Built once at module load: the document is static, the data arrives over the bridge. Leading indentation
// is dropped to keep the page small; no script or style here has a multi-line string literal.
const ORDER_WIDGET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your order</title>
<style>${WIDGET_THEME_CSS}${ORDER_CSS}</style>
</head>
<body>${ORDER_BODY}
<script>
(function () {
'use strict';
${APP_BRIDGE_SCRIPT}
${ORDER_LOGIC_SCRIPT}
${ORDER_SCRIPT}
})();
</script>
</body>
</html>
`.replace(/^[ \t]+/gm, '');

/** The self-contained HTML of the order widget (create/update/place_order, get_order_status results). */
export function orderWidgetHtml(): string {
  return ORDER_WIDGET_HTML;
}
