/**
 * What an agent sends `POST /agentic_commerce/delegate_payment` for a buyer's test card (Visa 4242),
 * allowed once, for one session, up to `maxAmount` minor units of USD, until `expiresAt`.
 */
export function delegatedCardRequest(allowance: {
  sessionId: string;
  merchant: string;
  maxAmount: number;
  expiresAt: string;
}) {
  return {
    payment_method: {
      type: 'card',
      card_number_type: 'fpan',
      number: '4242424242424242',
      exp_month: '12',
      exp_year: '2030',
      cvc: '123',
      display_last4: '4242',
      display_brand: 'visa',
      display_card_funding_type: 'credit',
      virtual: false,
      metadata: {},
    },
    allowance: {
      reason: 'one_time',
      max_amount: allowance.maxAmount,
      currency: 'usd',
      checkout_session_id: allowance.sessionId,
      merchant_id: allowance.merchant,
      expires_at: allowance.expiresAt,
    },
    risk_signals: [{ type: 'card_testing', score: 2, action: 'authorized' }],
    metadata: {},
  };
}

/** One agent's checkout, as ACP sends it: create, choose pickup and buyer, delegate the card, complete; true when paid. */
export async function oneFlow(app: string, key: string, n: number, shopNow: string): Promise<boolean> {
  const headers = (step: string) => ({
    authorization: `Bearer ${key}`,
    'api-version': '2026-04-17',
    'content-type': 'application/json',
    'idempotency-key': `flow-${process.pid}-${n}-${step}`,
  });
  const post = async (path: string, step: string, body: unknown) => {
    const res = await fetch(app + path, {
      method: 'POST',
      headers: headers(step),
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id?: string; status?: string } };
  };
  const created = await post('/checkout_sessions', 'create', {
    line_items: [{ id: 'cheeseburger:extra-bacon' }, { id: 'fries' }],
    currency: 'usd',
    capabilities: {},
  });
  if (created.status !== 201 || created.body.id === undefined) return false;
  const path = `/checkout_sessions/${created.body.id}`;
  const updated = await post(path, 'update', {
    selected_fulfillment_options: [{ type: 'pickup', option_id: 'pickup_asap', item_ids: ['li_1', 'li_2'] }],
    buyer: { full_name: 'Bench Buyer', email: 'bench@example.com', phone_number: '+15555550123' },
  });
  if (updated.status !== 200) return false;
  const total = (updated.body as { totals?: { type: string; amount: number }[] }).totals?.find(
    (t) => t.type === 'total',
  )?.amount;
  const merchant = (
    updated.body as {
      capabilities?: { payment?: { handlers?: { id: string; config?: { merchant_id?: string } }[] } };
    }
  ).capabilities?.payment?.handlers?.find((h) => h.id === 'card_tokenized')?.config?.merchant_id;
  if (total === undefined || merchant === undefined) return false;
  const expires = new Date(Date.parse(shopNow) + 30 * 60_000).toISOString();
  const delegated = await post(
    '/agentic_commerce/delegate_payment',
    'delegate',
    delegatedCardRequest({ sessionId: created.body.id, merchant, maxAmount: total, expiresAt: expires }),
  );
  if (delegated.status !== 201 || delegated.body.id === undefined) return false;
  const done = await post(`${path}/complete`, 'complete', {
    payment_data: {
      handler_id: 'card_tokenized',
      instrument: { type: 'card', credential: { type: 'spt', token: delegated.body.id } },
    },
  });
  return done.status === 200 && done.body.status === 'completed';
}

/** Runs `flows` checkouts, `concurrency` at a time, against the app; orders per second and failures. */
export async function measureCheckoutFlow(
  app: string,
  key: string,
  options: { flows: number; concurrency: number; shopNow: () => string },
): Promise<{ ordersPerSecond: number; failed: number; flows: number }> {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.flows) {
      next += 1;
      if (!(await oneFlow(app, key, next, options.shopNow()))) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { ordersPerSecond: (options.flows - failed) / seconds, failed, flows: options.flows };
}
