import { APP_BRIDGE_SCRIPT, WIDGET_THEME_CSS } from './app-bridge-script.js';

/**
 * The pure helpers of the menu widget (no DOM, no bridge): inlined into the page and run in node:vm by the
 * tests, so what is tested is what ships.
 */
export const MENU_LOGIC_SCRIPT = String.raw`
function groupMax(group) {
  return group.selection === 'single' ? Math.min(group.max, 1) : group.max;
}

function optionRule(group) {
  var max = groupMax(group);
  if (group.min <= 0) return max === 1 ? 'Optional' : 'Optional, up to ' + max;
  if (group.min >= max) return 'Choose ' + max;
  return 'Choose ' + group.min + ' to ' + max;
}

function selectionProblems(groups, chosen) {
  var problems = [];
  groups.forEach(function (group, i) {
    var count = (chosen[i] || []).length;
    var max = groupMax(group);
    if (count < group.min) {
      problems.push(group.name + ': choose ' + (group.min === 1 ? 'one' : 'at least ' + group.min) + '.');
    } else if (count > max) {
      problems.push(group.name + ': choose at most ' + max + '.');
    }
  });
  return problems;
}

function orderRequestText(name, quantity, optionNames, note) {
  var text = 'Add ' + quantity + ' \u00d7 ' + name;
  if (optionNames.length > 0) text += ' (' + optionNames.join(', ') + ')';
  text += ' to my order';
  var trimmed = String(note || '').trim();
  if (trimmed) text += ', note: "' + trimmed + '"';
  return text;
}

function priceDelta(option) {
  if (!option.price || option.price.amount === 0) return '';
  return (option.price.amount > 0 ? '+' : '') + option.price.display;
}

function initialsOf(name) {
  var words = String(name).trim().split(' ').filter(Boolean);
  return words.slice(0, 2).map(function (w) { return Array.from(w)[0].toUpperCase(); }).join('') || '?';
}

function hueOf(name) {
  var hash = 0;
  for (var i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) % 360;
  return hash;
}
`;

const MENU_CSS = `
h1 { font-size: 18px; margin: 0 0 4px; }
.status { margin: 0 0 10px; font-size: 14px; }
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; grid-template-columns: 1fr; }
@media (min-width: 600px) { .cards { grid-template-columns: 1fr 1fr; } }
.card {
  display: grid; grid-template-columns: 56px 1fr auto; gap: 10px 12px; align-items: start; padding: 12px;
  border: 1px solid var(--color-border-primary, var(--c-line)); border-radius: var(--border-radius-lg, 14px);
}
.card.out .tile, .card.out .body { opacity: 0.6; }
.tile {
  position: relative; width: 56px; height: 56px; border-radius: 12px; overflow: hidden; display: grid;
  place-items: center; font-weight: 700; font-size: 20px;
  background: hsl(var(--hue, 30) 70% 88%); color: hsl(var(--hue, 30) 60% 26%);
}
:root[data-theme='dark'] .tile { background: hsl(var(--hue, 30) 35% 24%); color: hsl(var(--hue, 30) 70% 86%); }
.tile img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
.name { margin: 0; font-size: 17px; font-weight: 650; }
.desc { margin: 2px 0 0; font-size: 14px; }
.badges { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.badge.bad { background: var(--c-bad-bg); color: var(--c-bad-fg); }
.badge.warn { background: var(--c-warn-bg); color: var(--c-warn-fg); }
.tags { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0 0; padding: 0; list-style: none; }
.tag { font-size: 12px; padding: 1px 8px; border-radius: 999px; background: var(--c-ok-bg); color: var(--c-ok-fg); }
.allergens { font-size: 13px; margin: 6px 0 0; }
.side { display: flex; flex-direction: column; align-items: flex-end; gap: 8px; }
.price { font-weight: 700; white-space: nowrap; }
.panel { grid-column: 1 / -1; }
fieldset {
  border: 1px solid var(--color-border-primary, var(--c-line)); border-radius: 10px; margin: 8px 0;
  padding: 6px 12px 8px;
}
legend { font-weight: 600; padding: 0 4px; }
.rule { font-weight: 400; font-size: 13px; }
.opt { display: flex; align-items: center; gap: 10px; min-height: 44px; cursor: pointer; }
.opt input { width: 20px; height: 20px; margin: 0; accent-color: var(--c-accent); flex: none; }
.opt .extra { margin-left: auto; font-size: 14px; white-space: nowrap; }
.opt.out { cursor: not-allowed; }
.field { display: flex; flex-direction: column; gap: 4px; margin: 10px 0; font-size: 14px; }
.field input {
  padding: 10px; min-height: 44px; border-radius: 8px; background: var(--color-background-primary, var(--c-bg));
  border: 1px solid var(--color-border-primary, var(--c-line));
}
.field input[type='number'] { max-width: 7em; }
.actions { display: flex; gap: 8px; justify-content: flex-end; flex-wrap: wrap; }
.toast { margin: 10px 0 0; }
.toast.ok { background: var(--c-ok-bg); color: var(--c-ok-fg); }
`;

const MENU_BODY = `
<main>
  <h1>Menu</h1>
  <p class="status muted" id="status" role="status">Loading the menu\u2026</p>
  <ul class="cards" id="cards"></ul>
  <p class="status muted" id="more" hidden></p>
  <p class="notice toast" id="toast" role="status" aria-live="polite" hidden></p>
</main>`;

const MENU_SCRIPT = String.raw`
var DETAIL_TOOL = 'get_menu_item';
var details = {};
var formCount = 0;
var statusEl = document.getElementById('status');
var cardsEl = document.getElementById('cards');
var moreEl = document.getElementById('more');
var toastEl = document.getElementById('toast');
var toastTimer = 0;

function setStatus(text) { statusEl.textContent = text; }

function toast(text, tone) {
  toastEl.textContent = text;
  toastEl.className = 'notice toast ' + (tone || 'ok');
  toastEl.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(function () { toastEl.hidden = true; }, 8000);
}

var bridge = createAppBridge({
  appInfo: { name: 'counterpi-menu', version: '1.0.0' },
  onToolInput: function (args) {
    if (cardsEl.children.length === 0 && args && typeof args.query === 'string' && args.query) {
      setStatus('Looking for \u201c' + args.query + '\u201d\u2026');
    }
  },
  onToolResult: render,
  onToolCancelled: function () { setStatus('The search was cancelled.'); },
});

function render(result) {
  if (result.isError) {
    setStatus(textOf(result) || 'The menu could not be loaded.');
    return;
  }
  var data = result.structuredContent || {};
  if (data.item_id && Array.isArray(data.modifier_groups)) details[data.item_id] = data;
  var items = Array.isArray(data.items) ? data.items : data.item_id ? [data] : [];
  cardsEl.replaceChildren.apply(cardsEl, items.map(card));
  var fixes = Array.isArray(data.corrections) ? data.corrections : [];
  var head = items.length === 0 ? 'Nothing on the menu matches.' : items.length === 1 ? '1 item' : items.length + ' items';
  if (fixes.length > 0) {
    head += ' \u00b7 showing results for ' + fixes.map(function (c) { return '\u201c' + c.to + '\u201d'; }).join(', ');
  }
  setStatus(head);
  var total = typeof data.total === 'number' ? data.total : items.length;
  moreEl.hidden = total <= items.length;
  moreEl.textContent = 'Showing ' + items.length + ' of ' + total + '. Ask the assistant to show more.';
}

function tile(item) {
  var node = el('div', { class: 'tile', 'aria-hidden': 'true' }, [el('span', { text: initialsOf(item.name) })]);
  node.style.setProperty('--hue', String(hueOf(item.name)));
  // Images load only from origins the host approved (SEP-1865 hostCapabilities.sandbox.csp); else the tile.
  if (typeof item.image_url === 'string' && bridge.resourceAllowed(item.image_url)) {
    var img = el('img', { alt: '', src: item.image_url, loading: 'lazy', decoding: 'async' });
    img.addEventListener('error', function () { img.remove(); });
    node.appendChild(img);
  }
  return node;
}

function card(item) {
  var panelId = 'panel-' + ++formCount;
  var panel = el('div', { class: 'panel', id: panelId, hidden: true });
  var label = 'Add ' + item.name + (item.has_options ? ', choose options' : '');
  var add = el('button', {
    type: 'button', class: 'primary', text: 'Add', 'aria-label': label, disabled: item.sold_out,
    'aria-expanded': item.has_options ? 'false' : undefined, 'aria-controls': item.has_options ? panelId : undefined,
  });
  add.addEventListener('click', function () { onAdd(item, add, panel); });
  var badges = [];
  if (item.sold_out) badges.push(el('span', { class: 'badge bad', text: 'Sold out' }));
  else if (!item.available_now) badges.push(el('span', { class: 'badge warn', text: 'Not available now' }));
  var dietary = Array.isArray(item.dietary) ? item.dietary : [];
  var allergens = Array.isArray(item.allergens) ? item.allergens : [];
  return el('li', { class: 'card' + (item.sold_out ? ' out' : '') }, [
    tile(item),
    el('div', { class: 'body' }, [
      el('h2', { class: 'name', text: item.name }),
      badges.length ? el('div', { class: 'badges' }, badges) : null,
      item.description ? el('p', { class: 'desc muted', text: item.description }) : null,
      dietary.length
        ? el('ul', { class: 'tags', 'aria-label': 'Dietary' }, dietary.map(function (t) {
            return el('li', { class: 'tag', text: t });
          }))
        : null,
      allergens.length ? el('p', { class: 'allergens muted', text: 'Contains: ' + allergens.join(', ') }) : null,
    ]),
    el('div', { class: 'side' }, [el('span', { class: 'price', text: item.price ? item.price.display : '' }), add]),
    panel,
  ]);
}

function onAdd(item, button, panel) {
  if (!item.has_options) {
    send(item, 1, [], '', button);
    return;
  }
  if (!panel.hidden) {
    closePanel(panel, button);
    return;
  }
  if (details[item.item_id]) {
    openPanel(details[item.item_id], panel, button);
    return;
  }
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  bridge
    .callTool(DETAIL_TOOL, { item_id: item.item_id })
    .then(function (result) {
      var detail = result.structuredContent;
      if (!detail || !Array.isArray(detail.modifier_groups)) throw new Error('no options came back');
      details[item.item_id] = detail;
      openPanel(detail, panel, button);
    })
    .catch(function (err) {
      toast('Could not load the options (' + err.message + '). Tell the assistant what you would like.', 'bad');
    })
    .then(function () {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    });
}

function openPanel(detail, panel, button) {
  panel.replaceChildren(optionsForm(detail, function () { closePanel(panel, button); }));
  panel.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  var first = panel.querySelector('input:not([disabled])');
  if (first) first.focus();
}

function closePanel(panel, button) {
  panel.hidden = true;
  panel.replaceChildren();
  button.setAttribute('aria-expanded', 'false');
  button.focus();
}

function optionInput(type, name, value, checked, disabled, text, extra) {
  var input = el('input', { type: type, name: name, value: value, checked: checked, disabled: disabled });
  return el('label', { class: 'opt' + (disabled ? ' out' : '') }, [
    input,
    el('span', { text: text }),
    extra ? el('span', { class: 'extra muted', text: extra }) : null,
  ]);
}

function limitChecks(fieldset, max) {
  var boxes = Array.prototype.slice.call(fieldset.querySelectorAll('input'));
  var count = boxes.filter(function (b) { return b.checked; }).length;
  boxes.forEach(function (b) {
    if (b.getAttribute('data-sold-out') !== 'true') b.disabled = !b.checked && count >= max;
  });
}

function groupFieldset(group, name) {
  var single = group.selection === 'single';
  var type = single ? 'radio' : 'checkbox';
  var anyDefault = group.options.some(function (o) { return o.is_default && !o.sold_out; });
  var rows = group.options.map(function (o, i) {
    var row = optionInput(type, name, String(i), o.is_default && !o.sold_out, o.sold_out, o.name,
      o.sold_out ? 'sold out' : priceDelta(o));
    if (o.sold_out) row.querySelector('input').setAttribute('data-sold-out', 'true');
    return row;
  });
  if (single && group.min <= 0) rows.unshift(optionInput('radio', name, 'none', !anyDefault, false, 'None', ''));
  var legend = el('legend', {}, [group.name + ' ', el('span', { class: 'rule muted', text: optionRule(group) })]);
  var fieldset = el('fieldset', {}, [legend].concat(rows));
  if (!single) {
    fieldset.addEventListener('change', function () { limitChecks(fieldset, groupMax(group)); });
    limitChecks(fieldset, groupMax(group));
  }
  return fieldset;
}

function chosenOptions(form, groups, prefix) {
  return groups.map(function (group, gi) {
    var checked = form.querySelectorAll('input[name="' + prefix + gi + '"]:checked');
    return Array.prototype.slice.call(checked)
      .filter(function (input) { return input.value !== 'none'; })
      .map(function (input) { return group.options[Number(input.value)]; });
  });
}

function optionsForm(detail, close) {
  var prefix = 'f' + ++formCount + '-g';
  var groups = detail.modifier_groups;
  var maxQty = Math.max(1, detail.max_quantity || 1);
  var qty = el('input', { type: 'number', inputmode: 'numeric', min: '1', max: String(maxQty), value: '1' });
  var note = el('input', { type: 'text', maxlength: '140', autocomplete: 'off' });
  var error = el('p', { class: 'notice bad', role: 'alert', hidden: true });
  var submit = el('button', { type: 'submit', class: 'primary', text: 'Add to order' });
  var cancel = el('button', { type: 'button', class: 'secondary', text: 'Cancel', on: { click: close } });
  var form = el('form', { 'aria-label': 'Options for ' + detail.name }, groups.map(function (g, i) {
    return groupFieldset(g, prefix + i);
  }).concat([
    el('label', { class: 'field' }, ['Quantity', qty]),
    el('label', { class: 'field' }, ['Note for the kitchen (optional)', note]),
    error,
    el('div', { class: 'actions' }, [cancel, submit]),
  ]));
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var chosen = chosenOptions(form, groups, prefix);
    var problems = selectionProblems(groups, chosen);
    var n = Math.floor(Number(qty.value));
    if (!(n >= 1 && n <= maxQty)) problems.push('Quantity: choose from 1 to ' + maxQty + '.');
    error.hidden = problems.length === 0;
    error.textContent = problems.join(' ');
    if (problems.length > 0) return;
    var flat = [].concat.apply([], chosen);
    send(detail, n, flat, note.value, submit).then(function (sent) { if (sent) close(); });
  });
  return form;
}

function send(item, quantity, options, note, button) {
  var text = orderRequestText(item.name, quantity, options.map(function (o) { return o.name; }), note);
  // The assistant owns the order (and its idempotency keys): we only ask it, and hand it the exact ids.
  var pick = { item_id: item.item_id, quantity: quantity, option_ids: options.map(function (o) { return o.option_id; }) };
  if (String(note || '').trim()) pick.note = String(note).trim();
  var context = {
    content: [{ type: 'text', text: 'Picked in the menu widget: ' + text + ' = ' + JSON.stringify(pick) }],
    structuredContent: { menu_widget_pick: pick },
  };
  button.disabled = true;
  return bridge
    .updateModelContext(context)
    .catch(function () { return null; })
    .then(function () { return bridge.sendMessage(text); })
    .then(function () {
      toast('Sent to the chat: ' + text, 'ok');
      return true;
    })
    .catch(function () {
      toast('Could not send it. Type this in the chat: ' + text, 'bad');
      return false;
    })
    .then(function (sent) {
      button.disabled = false;
      return sent;
    });
}

bridge.connect().catch(function () {
  setStatus('Could not reach the chat app. The menu is in the assistant\u2019s reply.');
});
`;

// Built once at module load: the document is static, the data arrives over the bridge. Leading indentation
// is dropped to keep the page small; no script or style here has a multi-line string literal.
const MENU_WIDGET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Menu</title>
<style>${WIDGET_THEME_CSS}${MENU_CSS}</style>
</head>
<body>${MENU_BODY}
<script>
(function () {
'use strict';
${APP_BRIDGE_SCRIPT}
${MENU_LOGIC_SCRIPT}
${MENU_SCRIPT}
})();
</script>
</body>
</html>
`.replace(/^[ \t]+/gm, '');

/** The self-contained HTML of the `search_menu` widget (inline CSS and JS, nothing loaded from the network). */
export function menuWidgetHtml(): string {
  return MENU_WIDGET_HTML;
}
