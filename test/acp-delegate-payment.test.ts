import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, databaseFile, startCounterpi } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import { requestHash } from '../src/services/orders/idempotency.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_SPEC_DIR, ACP_VERSION, acpExamples, acpSchemaErrors } from './helpers/acp-schemas.js';
import { PUBLIC_URL } from './helpers/start-app.js';

type Json = Record<string, unknown>;
type Client = ReturnType<typeof acpClient>;
type Call = Awaited<ReturnType<Client['post']>>;

const PATH = '/agentic_commerce/delegate_payment';
/** The shop's merchant id: the host of its public URL. */
const MERCHANT = new URL(PUBLIC_URL).host;
const PAN = '4242424242424242';
/** Codes the shared ACP guard answers with that the delegate payment Error's closed enum omits. */
const GUARD_CODES = new Set(['unauthorized', 'missing_api_version', 'unsupported_api_version']);

const examples = acpExamples('examples.delegate_payment.json');
const schemaExample = (
  JSON.parse(
    readFileSync(
      join(ACP_SPEC_DIR, 'spec', ACP_VERSION, 'json-schema', 'schema.delegate_payment.json'),
      'utf8',
    ),
  ) as { $defs: { DelegatePaymentRequest: { example: Json } } }
).$defs.DelegatePaymentRequest.example;

/** A specification example made valid now (clock 2026-11-24T17:00Z): this shop, an open allowance. */
function validNow(example: unknown): Json {
  const copy = structuredClone(example) as Json & { allowance: Json };
  copy.allowance.merchant_id = MERCHANT;
  copy.allowance.expires_at = '2026-11-24T17:30:00Z';
  return copy;
}

/** The examples' request, valid now, with the field at a dotted path set (or removed when undefined). */
function withField(path: string, value: unknown): Json {
  const body = validNow(examples.delegate_payment_request);
  const names = path.split('.');
  const last = names.pop() ?? '';
  let target = body;
  for (const name of names) target = target[name] as Json;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return body;
}

const tokenCount = () =>
  (app.store.db.prepare('SELECT count(*) AS n FROM vault_tokens').get() as { n: number }).n;

function expectCreated(res: Call): void {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(acpSchemaErrors('delegatePayment', 'DelegatePaymentResponse', res.body)).toEqual([]);
  expect(res.body.id).toMatch(/^vt_[0-9a-z]+$/);
}

/** Every error must be a delegate payment `Error`; the guard's codes are the RFC's, outside the enum. */
function expectError(res: Call, status: number, code: string, param?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const problems = acpSchemaErrors('delegatePayment', 'Error', res.body);
  expect(GUARD_CODES.has(code) ? problems.filter((p) => !p.startsWith('/code ')) : problems).toEqual([]);
  expect(res.body).toMatchObject({ type: 'invalid_request', code });
  expect(res.body.param).toBe(param);
  expect(res.headers.get('content-type')).toContain('application/json');
}

let dataDir: string;
let app: Counterpi;
let acp: Client;
let logs = '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-vault-'));
  app = await startCounterpi(loadConfig({ DATA_DIR: dataDir, PORT: '0', PUBLIC_URL }), {
    // The real logger at its most talkative, so every line a request could cause is captured.
    log: createLogger({
      level: 'trace',
      destination: {
        write(line: string) {
          logs += line;
        },
      },
    }),
    clock: createManualClock('2026-11-24T17:00:00Z'),
    resolveCustomer: () => ({ subject: 'customer-1', scopes: ['menu:read', 'order:write'] }),
  });
  acp = acpClient(app.url, createTestAcpKey(dataDir, 'ChatGPT').secret);
});
afterAll(async () => {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ACP delegate payment', () => {
  it('vaults the specification examples and answers a DelegatePaymentResponse', async () => {
    for (const [n, example] of [examples.delegate_payment_request, schemaExample].entries()) {
      const body = validNow(example);
      expect(acpSchemaErrors('delegatePayment', 'DelegatePaymentRequest', body)).toEqual([]);
      const idempotencyKey = `idem_abc12${n}`;
      const res = await acp.post(PATH, body, { 'idempotency-key': idempotencyKey, 'request-id': 'req_1' });
      expectCreated(res);
      expect(res.body.created).toBe('2026-11-24T17:00:00.000Z');
      expect(res.body.metadata).toEqual({
        ...(body.metadata as Json),
        merchant_id: MERCHANT,
        idempotency_key: idempotencyKey,
      });
      expect(res.headers.get('request-id')).toBe('req_1');
      expect(res.headers.get('idempotency-key')).toBe(idempotencyKey);
    }
    const row = app.store.db.prepare('SELECT * FROM vault_tokens ORDER BY created_at, id LIMIT 1').get();
    expect(row).toMatchObject({
      brand: 'visa',
      last4: '4242',
      exp_month: 11,
      exp_year: 2026,
      state: 'active',
    });
  });

  it('vaults a network token (payment handlers RFC §6.3) with brand and last4 from the display fields', async () => {
    const res = await acp.post(PATH, {
      payment_method: {
        type: 'card',
        card_number_type: 'network_token',
        number: 'tok_visa_abc123',
        exp_month: '12',
        exp_year: '2027',
        display_last4: '4242',
        display_brand: 'visa',
        display_card_funding_type: 'credit',
        virtual: false,
        metadata: {},
      },
      allowance: {
        reason: 'one_time',
        max_amount: 10000,
        currency: 'usd',
        checkout_session_id: 'cs_abc123',
        merchant_id: MERCHANT,
        expires_at: '2026-11-24T18:00:00Z',
      },
      risk_signals: [{ type: 'card_testing', score: 95, action: 'authorized' }],
      metadata: { handler_id: 'card_tokenized' },
    });
    expectCreated(res);
  });

  it('refuses invalid cards, allowances and shapes with 400 invalid_card and a JSONPath', async () => {
    const cases: [Json | string, string][] = [
      [withField('payment_method.number', '4242424242424241'), '$.payment_method.number'],
      [withField('payment_method.number', '4242 4242 4242 4242'), '$.payment_method.number'],
      [withField('payment_method.exp_month', '10'), '$.payment_method.exp_month'],
      [withField('payment_method.exp_month', '13'), '$.payment_method.exp_month'],
      [withField('payment_method.exp_year', '2025'), '$.payment_method.exp_year'],
      [withField('payment_method.display_last4', '1111'), '$.payment_method.display_last4'],
      [withField('payment_method.cvc', '22a'), '$.payment_method.cvc'],
      [withField('allowance.expires_at', '2026-11-24T16:59:59Z'), '$.allowance.expires_at'],
      [withField('allowance.expires_at', '2026-11-24 18:00'), '$.allowance.expires_at'],
      [withField('allowance.merchant_id', 'acme_store'), '$.allowance.merchant_id'],
      [withField('allowance.currency', 'USD'), '$.allowance.currency'],
      [withField('allowance.max_amount', 20.5), '$.allowance.max_amount'],
      [withField('allowance.max_amount', undefined), '$.allowance.max_amount'],
      [withField('payment_method', undefined), '$.payment_method'],
      [withField('metadata', undefined), '$.metadata'],
      [withField('risk_signals', []), '$.risk_signals'],
      [
        withField('risk_signals', [{ type: 'card_testing', score: 99, action: 'blocked' }]),
        '$.risk_signals[0].action',
      ],
      [withField('loyalty_id', 'x'), '$.loyalty_id'],
      [withField('payment_method.pin', '1234'), '$.payment_method.pin'],
      [withField('metadata.note', `card ${PAN}`), '$.metadata.note'],
      ['{"payment_method": {', '$'],
      ['[]', '$'],
    ];
    const before = tokenCount();
    for (const [body, param] of cases) {
      const res = await acp.post(PATH, body);
      expectError(res, 400, 'invalid_card', param);
      expect(JSON.stringify(res.body), param).not.toContain('424242424242424');
    }
    expect(tokenCount()).toBe(before);
  });

  it('asks for an API key, a supported API-Version and an Idempotency-Key', async () => {
    const body = validNow(examples.delegate_payment_request);
    const noKey = await acp.post(PATH, body, { authorization: undefined });
    expectError(noKey, 401, 'unauthorized');
    expect(noKey.headers.get('www-authenticate')).toBe('Bearer');
    expectError(await acp.post(PATH, body, { authorization: 'Bearer cpk_wrong' }), 401, 'unauthorized');

    const noVersion = await acp.post(PATH, body, { 'api-version': undefined });
    expectError(noVersion, 400, 'missing_api_version');
    expect(noVersion.body.supported_versions).toEqual([ACP_VERSION]);
    const oldVersion = await acp.post(PATH, body, { 'api-version': '2025-09-29' });
    expectError(oldVersion, 400, 'unsupported_api_version');
    expect(oldVersion.body.supported_versions).toEqual([ACP_VERSION]);

    expectError(
      await acp.post(PATH, body, { 'idempotency-key': undefined }),
      400,
      'idempotency_key_required',
    );
    expectError(await acp.post(PATH, body, { 'idempotency-key': 'k'.repeat(256) }), 400, 'invalid_card');
  });

  it('replays the same key and body, and refuses the same key with another body', async () => {
    const body = validNow(examples.delegate_payment_request);
    const key = { 'idempotency-key': 'idem-replay' };
    const first = await acp.post(PATH, body, key);
    expectCreated(first);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await acp.post(PATH, reordered, key);
    expectCreated(again);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const other = withField('allowance.max_amount', 2500);
    expectError(await acp.post(PATH, other, key), 422, 'idempotency_conflict');
    expect(
      app.store.db.prepare('SELECT count(*) AS n FROM vault_tokens WHERE id = ?').get(first.body.id),
    ).toEqual({
      n: 1,
    });
  });

  it('never writes or logs the card number, nor an unkeyed hash of a body holding it', async () => {
    const body = validNow(examples.delegate_payment_request);
    expectCreated(await acp.post(PATH, body, { 'idempotency-key': 'idem-pan' }));
    const hashes = app.store.db.prepare('SELECT request_hash FROM idempotency_keys').all() as {
      request_hash: string;
    }[];
    expect(hashes.length).toBeGreaterThan(3);
    expect(hashes.map((h) => h.request_hash)).not.toContain(requestHash(body));

    const file = databaseFile(dataDir);
    const bytes = () =>
      Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    const pans = [PAN, '4242424242424241'];
    expect(bytes().includes('vault_tokens')).toBe(true);
    for (const pan of pans) expect(bytes().includes(pan), pan).toBe(false);
    // A checkpoint moves the WAL into the database file: still nowhere.
    app.store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const pan of pans) expect(bytes().includes(pan), pan).toBe(false);

    expect(logs).toContain('"module":"http"');
    expect(logs).toContain(PATH);
    for (const pan of pans) expect(logs.includes(pan), pan).toBe(false);
  });
});
