import { AppError, isAppError } from '../../domain/app-error.js';
import type { CheckoutSessionRecord } from '../../domain/checkout.js';
import type { Order } from '../../domain/order.js';
import { createOrderChecks } from '../orders/order-checks.js';
import { changedDraft } from './checkout-draft.js';
import { appliedCodes } from './checkout-offers.js';
import { createPickupOffers } from './checkout-pickup.js';
import { placeAndPay } from './checkout-place.js';
import {
  CHECKOUT_TTL_MS,
  type CheckoutChanges,
  type CheckoutCompletion,
  type CheckoutCreate,
  type CheckoutService,
  type CheckoutServiceDeps,
  type CheckoutView,
} from './checkout-types.js';
import { type CheckoutViewDeps, checkoutView } from './checkout-view.js';

/** What each use case below is given: the service's deps, the order checks and the pickup times offered. */
type Checkout = CheckoutServiceDeps & CheckoutViewDeps;

/** Creates the ACP checkout service; each command is one SQLite transaction. */
export function createCheckoutService(deps: CheckoutServiceDeps): CheckoutService {
  const checks = createOrderChecks({
    shop: deps.shop,
    menu: deps.menu,
    clock: deps.clock,
    orders: deps.ordersRepo,
  });
  const c: Checkout = {
    ...deps,
    checks,
    pickups: createPickupOffers({ clock: deps.clock, ordersRepo: deps.ordersRepo, checks }),
  };
  return {
    create: (apiKeyId, input) => createSession(c, apiKeyId, input),
    update: (apiKeyId, id, changes) => {
      c.gate?.assertCanContinue();
      return c.store.transaction(() => updateSession(c, apiKeyId, id, changes));
    },
    get: (apiKeyId, id) => checkoutView(c, owned(c, apiKeyId, id)),
    complete: (apiKeyId, id, completion) => {
      c.gate?.assertCanContinue();
      return c.store.transaction(() => completeSession(c, apiKeyId, id, completion));
    },
    cancel: (apiKeyId, id, trace) => c.store.transaction(() => cancelSession(c, apiKeyId, id, trace)),
  };
}

/** True for errors that are an answer about the session (a rule it breaks), not a failure. */
export function isCheckoutProblem(error: unknown): error is AppError {
  return isAppError(error) && error.code !== 'internal' && error.code !== 'not_found';
}

function createSession(c: Checkout, apiKeyId: string, input: CheckoutCreate): CheckoutView {
  c.gate?.assertCanStart();
  const currency = c.shop.settings().profile.currency;
  if (input.currency !== undefined && input.currency.toUpperCase() !== currency.toUpperCase()) {
    throw new AppError('invalid_input', `This shop sells in ${currency.toLowerCase()} only.`, {
      violations: [{ code: 'invalid_input', message: 'Unsupported currency.', path: 'currency' }],
    });
  }
  const now = c.clock.now();
  const base: CheckoutSessionRecord = {
    id: c.ids.next('cs'),
    apiKeyId,
    state: 'open',
    draft: {
      items: [],
      currency,
      pickup: 'asap',
      buyer: undefined,
      fulfillmentDetails: undefined,
      agentCapabilities: input.agentCapabilities,
      locale: input.locale,
      timezone: input.timezone,
      metadata: input.metadata,
      orderNotes: undefined,
      cancelTrace: undefined,
    },
    orderId: undefined,
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + CHECKOUT_TTL_MS),
    version: 1,
  };
  const view = quoted(c, { ...base, draft: changedDraft(c, base.draft, input) });
  c.store.transaction(() => {
    c.sessions.insert(view.session);
    if (input.attribution !== undefined) c.attributions.record(base.id, 'first', input.attribution, now);
  });
  return view;
}

function updateSession(c: Checkout, apiKeyId: string, id: string, changes: CheckoutChanges): CheckoutView {
  const session = owned(c, apiKeyId, id);
  editable(c, session, 'be changed');
  const view = quoted(c, { ...session, draft: changedDraft(c, session.draft, changes) });
  return { ...view, session: save(c, session, { draft: view.session.draft }) };
}

/** The session as it will be answered, keeping the total answered as the one a complete charges. */
function quoted(c: Checkout, session: CheckoutSessionRecord): CheckoutView {
  const view = checkoutView(c, session);
  const draft = { ...session.draft, quotedTotal: view.priced.totals.total };
  return { ...view, session: { ...session, draft } };
}

/**
 * A complete that finds another total than the one last answered places nothing: the session is
 * answered again with today's prices (kept as the new quote) and the change, for the buyer to accept
 * by completing again. Nothing is ever charged that the agent was not shown.
 */
function requoted(c: Checkout, session: CheckoutSessionRecord, from: number): CheckoutView {
  const view = quoted(c, session);
  const saved = save(c, session, { draft: view.session.draft });
  return { ...view, session: saved, priceChange: { from, to: view.priced.totals.total } };
}

/** Codes a placing refuses when the session's prices no longer hold: answered as a changed price. */
const PRICE_MOVED = new Set(['promo_code_refused', 'price_changed']);

function completeSession(
  c: Checkout,
  apiKeyId: string,
  id: string,
  completion: CheckoutCompletion,
): CheckoutView {
  const { payment, buyer, attribution } = completion;
  const stored = owned(c, apiKeyId, id);
  editable(c, stored, 'be completed again');
  // The buyer sent now counts already: a per-customer code limit counts by their phone number.
  const session = { ...stored, draft: { ...stored.draft, buyer: buyer ?? stored.draft.buyer } };
  const current = checkoutView(c, session);
  if (current.problems.length > 0) throw AppError.fromViolations(current.problems);
  const total = current.priced.totals.total;
  const shown = stored.draft.quotedTotal;
  if (shown !== undefined && shown !== total) return requoted(c, session, shown);
  const codes = appliedCodes(session.draft.discountCodes ?? [], current.priced);
  let order: Order;
  try {
    order = c.store.savepoint(() => placeAndPay(c, session, { apiKeyId, payment, buyer, total, codes }));
  } catch (error) {
    // Another order took a code's last use first: the savepoint undid this one, and the session says so.
    if (isAppError(error) && PRICE_MOVED.has(error.code)) return requoted(c, session, total);
    throw error;
  }
  const completed = save(c, session, {
    state: 'ordered',
    orderId: order.id,
    draft: { ...session.draft, placedRefusals: current.priced.refused },
  });
  // Only a completion that placed its order keeps its claim (RFC §4.3.2: "recorded only on successful
  // conversions"); the session's first touch goes with the order too.
  if (attribution !== undefined) c.attributions.record(session.id, 'last', attribution, c.clock.now());
  c.attributions.attachOrder(session.id, order.id);
  if (session.orderId === undefined) c.onOrderCreated?.(order, session.id);
  return checkoutView(c, completed);
}

function cancelSession(
  c: Checkout,
  apiKeyId: string,
  id: string,
  trace: Readonly<Record<string, unknown>> | undefined,
): CheckoutView {
  const session = owned(c, apiKeyId, id);
  const current = checkoutView(c, session);
  if (current.status === 'completed' || current.status === 'canceled') {
    throw new AppError('invalid_transition', `This checkout session is already ${current.status}.`);
  }
  if (current.order !== undefined && current.order.state !== 'canceled') {
    c.orders.cancel({ subject: `acp:${session.id}` }, current.order.id);
  }
  return checkoutView(
    c,
    save(c, session, { state: 'canceled', draft: { ...session.draft, cancelTrace: trace } }),
  );
}

/** The session, when it is this API key's. */
function owned(c: Checkout, apiKeyId: string, id: string): CheckoutSessionRecord {
  const session = c.sessions.get(id);
  if (session === undefined || session.apiKeyId !== apiKeyId) {
    throw new AppError('not_found', `There is no checkout session ${id.slice(0, 80)}.`);
  }
  return session;
}

/** An open, unexpired session that may still change, or the reason it may not. */
function editable(c: Checkout, session: CheckoutSessionRecord, what: string): void {
  const status = checkoutView(c, session).status;
  if (status === 'ready_for_payment' || status === 'not_ready_for_payment') return;
  throw new AppError(
    'invalid_transition',
    `This checkout session is ${status.replaceAll('_', ' ')}; it cannot ${what}.`,
  );
}

/** Saves a change, which keeps the session for another CHECKOUT_TTL_MS; refused when someone saved first. */
function save(
  c: Checkout,
  session: CheckoutSessionRecord,
  next: Partial<CheckoutSessionRecord>,
): CheckoutSessionRecord {
  const now = c.clock.now();
  const saved = {
    ...session,
    ...next,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + CHECKOUT_TTL_MS),
    version: session.version + 1,
  };
  if (!c.sessions.update(saved)) {
    throw new AppError(
      'invalid_transition',
      'The checkout session was changed at the same time; read it again.',
    );
  }
  return saved;
}
