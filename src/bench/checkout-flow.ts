/** One agent's checkout, as ACP sends it: create, choose pickup and buyer, complete. */
async function oneFlow(app: string, key: string, n: number): Promise<boolean> {
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
  const done = await post(`${path}/complete`, 'complete', { payment_data: { handler_id: 'pay_at_pickup' } });
  return done.status === 200 && done.body.status === 'pending_approval';
}

/** Runs `flows` checkouts, `concurrency` at a time, against the app; orders per second and failures. */
export async function measureCheckoutFlow(
  app: string,
  key: string,
  options: { flows: number; concurrency: number },
): Promise<{ ordersPerSecond: number; failed: number; flows: number }> {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.flows) {
      next += 1;
      if (!(await oneFlow(app, key, next))) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { ordersPerSecond: (options.flows - failed) / seconds, failed, flows: options.flows };
}
