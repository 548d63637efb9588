import type { Context } from 'hono';
import { isAppError } from '../domain/app-error.js';
import type { MenuItem } from '../domain/catalog.js';
import { groupsOf, type MenuIndex } from '../domain/menu-index.js';
import { formatMoney } from '../domain/money.js';
import { countryOfLocale, phoneProblemText, readPhone } from '../domain/phone.js';
import type { LineInput } from '../services/orders/order-types.js';
import type { CounterPayment, StaffOrders, StaffPayment } from '../services/orders/staff-orders.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { type AdminEnv, type AdminModule, type AdminShell, OWNER_ACTOR } from './admin-shell.js';
import { readForm } from './form-read.js';
import { TAKE_ORDER_CSS, TAKE_ORDER_JS } from './staff-order-assets.js';
import { emptyDraft, postedLine, readDraft, type StaffDraft } from './staff-order-draft.js';
import { optionsBody } from './staff-order-options-view.js';
import { lineOf, type Refusal, refusal, refusedBy } from './staff-order-refusal.js';
import { TAKE_ORDER_ASSETS, type TakeOrderContext, takeOrderBody } from './staff-order-view.js';

/** What the quick order screen reads and does. */
export interface TakeOrderDeps {
  readonly staff: StaffOrders;
  readonly menu: () => MenuIndex;
  /** Ids of the items a search finds, best first (the menu search assistants use). */
  readonly search: (text: string) => readonly string[];
  readonly shop: Pick<ShopService, 'settings' | 'formatTime'>;
  /** A new one-time key for a fresh form. */
  readonly newKey: () => string;
}

type C = Context<AdminEnv>;
const TITLE = 'Take an order';
const SLOTS_OFFERED = 16;
const PAYMENTS: ReadonlySet<string> = new Set<StaffPayment>([
  'counter_cash',
  'counter_card',
  'pay_at_pickup',
]);
const COUNTER: ReadonlySet<string> = new Set<CounterPayment>(['counter_cash', 'counter_card']);
const PAID_WORDS: Readonly<Record<StaffPayment, string>> = {
  counter_cash: 'paid in cash',
  counter_card: 'paid by card',
  pay_at_pickup: 'to pay at pickup',
};

/** The quick order screen for phone and counter orders at `/admin/orders/new`, and marking one paid. */
export function takeOrderModule(deps: TakeOrderDeps): AdminModule {
  return {
    nav: { id: 'take-order', label: 'Take order', path: '/admin/orders/new' },
    mount(router, shell) {
      const css = () =>
        new Response(TAKE_ORDER_CSS, {
          headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' },
        });
      const js = () =>
        new Response(TAKE_ORDER_JS, {
          headers: {
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'public, max-age=300',
          },
        });
      router.get(TAKE_ORDER_ASSETS.css.slice('/admin'.length), css);
      router.get(TAKE_ORDER_ASSETS.js.slice('/admin'.length), js);
      router.get('/orders/new', (c) => page(c, shell, deps, emptyDraft(deps.newKey())));
      router.post('/orders/new', (c) => step(c, shell, deps));
      router.post('/orders/:id/paid', async (c) => settle(c, shell, deps));
    },
  };
}

function context(c: C, deps: TakeOrderDeps): TakeOrderContext {
  const { profile } = deps.shop.settings();
  return {
    csrf: c.get('csrf'),
    index: deps.menu(),
    money: (amount) => formatMoney(amount, profile.currency, profile.locale),
    formatTime: deps.shop.formatTime,
  };
}

/** The main screen: the items (those the search finds), the order so far, customer and payment. */
function page(c: C, shell: AdminShell, deps: TakeOrderDeps, draft: StaffDraft, refused?: Refusal) {
  const ctx = context(c, deps);
  const quote = deps.staff.quote(draft.lines);
  const lineProblems = new Map<number, string[]>();
  for (const v of [...quote.problems, ...(refused?.violations ?? [])]) {
    const at = lineOf(v);
    if (at !== undefined) lineProblems.set(at, [...(lineProblems.get(at) ?? []), v.message]);
  }
  const shown: MenuItem[] =
    draft.search === ''
      ? [...ctx.index.menu.items]
      : deps.search(draft.search).flatMap((id) => ctx.index.items.get(id) ?? []);
  const body = takeOrderBody({
    draft,
    ctx,
    shown,
    quote,
    slots: deps.staff.pickupSlots(SLOTS_OFFERED),
    errors: refused?.errors ?? {},
    lineProblems,
  });
  return shell.render(c, {
    title: TITLE,
    nav: 'take-order',
    body,
    status: refused === undefined ? 200 : 422,
  });
}

/** One step of the form: pick an item, add a line, remove one, search, or place the order. */
async function step(c: C, shell: AdminShell, deps: TakeOrderDeps) {
  const form = await readForm(c);
  const draft = readDraft(form, deps.newKey);
  const [action = '', arg = ''] = form.text('do').split(/:(.*)/s);
  const index = deps.menu();
  if (action === 'pick' || action === 'line') {
    const item = index.items.get(arg);
    if (item === undefined)
      return page(c, shell, deps, draft, refusal(`There is no item "${arg}" on the menu.`));
    if (action === 'pick' && groupsOf(item, index.groups).length > 0) {
      return options(c, shell, deps, draft, item, { itemId: item.id, quantity: 1, optionIds: [] }, []);
    }
    const line =
      action === 'pick' ? { itemId: item.id, quantity: 1, optionIds: [] } : postedLine(form, item.id);
    const problems = deps.staff.quote([line]).problems;
    if (problems.length > 0) {
      const messages = problems.map((v) =>
        v.suggestion === undefined ? v.message : `${v.message} ${v.suggestion}`,
      );
      if (action === 'pick') return page(c, shell, deps, draft, refusal(messages.join('\n')));
      return options(c, shell, deps, draft, item, line, messages);
    }
    return page(c, shell, deps, { ...draft, lines: [...draft.lines, line] });
  }
  if (action === 'remove') {
    const at = Number(arg);
    return page(c, shell, deps, { ...draft, lines: draft.lines.filter((_, i) => i !== at) });
  }
  if (action === 'pay' && PAYMENTS.has(arg)) return place(c, shell, deps, draft, arg as StaffPayment);
  return page(c, shell, deps, draft);
}

function options(
  c: C,
  shell: AdminShell,
  deps: TakeOrderDeps,
  draft: StaffDraft,
  item: MenuItem,
  line: LineInput,
  errors: readonly string[],
) {
  const body = optionsBody({ draft, item, line, ctx: context(c, deps), errors });
  return shell.render(c, {
    title: item.name,
    nav: 'take-order',
    body,
    status: errors.length === 0 ? 200 : 422,
  });
}

/** Places the order once per form key; a refusal shows on the form with everything typed kept. */
async function place(c: C, shell: AdminShell, deps: TakeOrderDeps, draft: StaffDraft, payment: StaffPayment) {
  const locale = deps.shop.settings().profile.locale;
  const country = countryOfLocale(locale);
  const phone = draft.phone === '' ? undefined : readPhone(draft.phone, country);
  if (phone !== undefined && 'problem' in phone) {
    return page(c, shell, deps, draft, {
      errors: { customer_phone: phoneProblemText(phone.problem, country) },
      violations: [],
    });
  }
  try {
    const { order } = deps.staff.take(
      {
        lines: draft.lines,
        customerName: draft.name === '' ? undefined : draft.name,
        customerPhone: phone?.e164,
        pickupTime: draft.pickup,
        payment,
      },
      draft.key,
      OWNER_ACTOR,
    );
    const total = formatMoney(order.priced?.totals.total ?? 0, order.currency, locale);
    const kitchen = COUNTER.has(payment)
      ? 'sent to the kitchen'
      : 'sent to the kitchen, marked PAY AT PICKUP';
    shell.flash(
      c,
      'ok',
      `Order ${order.code} for ${order.customerName ?? ''} · ${total} ${PAID_WORDS[payment]} · ${kitchen}.`,
    );
    return c.redirect('/admin/orders/new', 303);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return page(
      c,
      shell,
      deps,
      error.code === 'idempotency_conflict' ? { ...draft, key: deps.newKey() } : draft,
      refusedBy(error),
    );
  }
}

/** Marks an order that was to be paid at pickup as paid at the counter. */
async function settle(c: C, shell: AdminShell, deps: TakeOrderDeps) {
  const method = (await readForm(c)).text('method');
  if (!COUNTER.has(method)) {
    shell.flash(c, 'error', 'Say how the order was paid: cash or card.');
    return c.redirect('/admin', 303);
  }
  try {
    const order = deps.staff.settle(c.req.param('id') ?? '', method as CounterPayment, OWNER_ACTOR);
    shell.flash(c, 'ok', `Order ${order.code} is ${PAID_WORDS[method as CounterPayment]}.`);
  } catch (error) {
    if (!isAppError(error)) throw error;
    shell.flash(c, 'error', error.message);
  }
  return c.redirect('/admin', 303);
}
