import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKeys } from '../src/auth/key-files.js';
import { issueOwnerToken, parseOwnerTokenRequest } from '../src/auth/owner-tokens.js';
import { type Counterpi, databaseFile } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { timeOrderedIds } from '../src/platform/ids.js';
import { openStore } from '../src/store/database.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { createOwnerTokensRepo } from '../src/store/owner-tokens-repo.js';
import { mcpPost } from './helpers/mcp-post.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const DAY_MS = 24 * 60 * 60 * 1000;
// The CLI signs with the wall clock; the server's clock starts there and moves only when a test moves it.
const clock = createManualClock(new Date());
let t: TestApp;
let app: Counterpi;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  // The real bearer resolver: tokens verified against the data dir's keys and the owner's denylist.
  t = await startTestApp({ clock, bearerTokens: true });
  ({ app, dataDir } = t);
  env = { DATA_DIR: dataDir, PUBLIC_URL };
});
afterAll(async () => {
  await t.stop();
});

async function issue(...args: string[]): Promise<string> {
  const result = await runCli(['token', 'issue', ...args], env);
  expect(result.stderr).toContain('Authorization: Bearer');
  expect(result.code).toBe(0);
  const token = result.stdout.trim();
  expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return token;
}

const rpc = (token: string, method: string, params?: unknown) => mcpPost(app.url, token, method, params);

const createOrder = (token: string) =>
  rpc(token, 'tools/call', {
    name: 'create_order',
    arguments: { idempotency_key: randomUUID(), lines: [{ item_id: 'fries', quantity: 1 }] },
  });

const countRows = () =>
  app.store.db
    .prepare(
      'SELECT (SELECT count(*) FROM owner_tokens) AS tokens, (SELECT count(*) FROM customers) AS customers',
    )
    .get() as { tokens: number; customers: number };

describe('counterpi token issue', () => {
  it('prints a token that orders on /mcp as a customer named after it, and stores only its id', async () => {
    const token = await issue('--name', 'MCP Inspector');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: PUBLIC_URL,
      aud: `${PUBLIC_URL}/mcp`,
      scope: 'menu:read order:write',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(90 * 24 * 60 * 60);

    const res = await createOrder(token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      result: { isError?: boolean; structuredContent: { order_id: string } };
    };
    expect(body.result.isError).toBeFalsy();
    const owner = app.store.db
      .prepare(
        'SELECT c.subject, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?',
      )
      .get(body.result.structuredContent.order_id);
    expect(owner).toEqual({ subject: claims.sub, name: 'MCP Inspector' });

    const row = app.store.db.prepare('SELECT * FROM owner_tokens WHERE jti = ?').get(claims.jti) as Record<
      string,
      unknown
    >;
    expect(row).toMatchObject({
      name: 'MCP Inspector',
      subject: claims.sub,
      scopes: 'menu:read order:write',
    });
    expect(row.created_at).toBe((claims.iat ?? 0) * 1000);
    expect(row.expires_at).toBe((claims.exp ?? 0) * 1000);
    expect(JSON.stringify(row)).not.toContain(token.split('.')[2]);

    // The same name, in another case, is the same customer; a new name is a new one.
    const again = decodeJwt(await issue('--name', 'mcp inspector', '--days', '7'));
    expect(again.sub).toBe(claims.sub);
    expect(again.jti).not.toBe(claims.jti);
    expect(decodeJwt(await issue('--name', 'Front desk tablet')).sub).not.toBe(claims.sub);
  });

  it('refuses bad arguments with exit code 2, a clear message, and nothing changed', async () => {
    const before = countRows();
    const cases: [string[], RegExp][] = [
      [['--name', 'A', '--days', '0'], /--days: give a whole number of days from 1 to 365 \(got "0"\)/],
      [['--name', 'A', '--days', '9999'], /--days: .*\(got "9999"\)/],
      [['--name', 'A', '--scope', 'menu:read admin'], /--scope: unknown scope admin/],
      [['--scope', 'menu:read'], /--name: say who the token is for/],
      [['--name', 'A', '--colour', 'red'], /Unknown option '--colour'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['token', 'issue', ...args], env)));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(cases[i]?.[1] ?? /never/);
    });
    expect(countRows()).toEqual(before);
  });
});

describe('owner tokens on a running server', () => {
  it('refuses a revoked token within a quarter second, while other tokens keep working', async () => {
    const kept = await issue('--name', 'Kept');
    const revoked = await issue('--name', 'Revoked');
    expect((await rpc(revoked, 'tools/list')).status).toBe(200);
    expect((await createOrder(revoked)).status).toBe(200);

    const id = `${decodeJwt(revoked).jti}`.slice(0, 12);
    const result = await runCli(['token', 'revoke', id], env);
    expect(result.stderr).toContain(`Revoked ${id} ("Revoked")`);
    expect(result.code).toBe(0);

    // The server reads revocations made by another connection every 250 ms (owner-tokens-repo.ts).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await createOrder(revoked);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await rpc(revoked, 'tools/list')).status).toBe(401);
    expect((await createOrder(kept)).status).toBe(200);

    const unknown = await runCli(['token', 'revoke', 'tok_nosuchid'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No token tok_nosuchid');
  });

  it('refuses a token once it has expired', async () => {
    const token = await issue('--name', 'Day pass', '--days', '1');
    expect((await rpc(token, 'tools/list')).status).toBe(200);
    const start = clock.now();
    try {
      clock.advance(DAY_MS + 60_000);
      const res = await rpc(token, 'tools/list');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    } finally {
      clock.set(start);
    }
  });

  it('gives a menu:read token the menu but 403 insufficient_scope on ordering tools', async () => {
    const token = await issue('--name', 'Menu board', '--scope', 'menu:read');
    expect(decodeJwt(token).scope).toBe('menu:read');
    const search = await rpc(token, 'tools/call', { name: 'search_menu', arguments: { query: 'fries' } });
    expect(search.status).toBe(200);
    const order = await createOrder(token);
    expect(order.status).toBe(403);
    expect(order.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('lists every token with its status', async () => {
    // A token issued 100 days ago (another connection, as another process would) has expired by now.
    const store = openStore({ file: databaseFile(dataDir) });
    const old = await issueOwnerToken(
      {
        ledger: createOwnerTokensRepo({ store, orders: createOrdersRepo({ store }) }),
        signingKeys: await loadOrCreateSigningKeys(dataDir),
        publicUrl: PUBLIC_URL,
        clock: createManualClock(new Date(Date.now() - 100 * DAY_MS)),
        ids: timeOrderedIds,
      },
      parseOwnerTokenRequest({ name: 'Old test' }),
    );
    store.close();
    expect((await rpc(old.token, 'tools/list')).status).toBe(401);

    const result = await runCli(['token', 'list'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SCOPES\s+CREATED \(UTC\)\s+EXPIRES \(UTC\)\s+STATUS$/);
    const statusOf = (name: string) =>
      lines.find((l) => l.includes(`  ${name}  `))?.match(/(active|expired|revoked)$/)?.[1];
    expect(statusOf('Old test')).toBe('expired');
    expect(statusOf('Revoked')).toBe('revoked');
    expect(statusOf('Kept')).toBe('active');
    expect(lines.find((l) => l.includes('Menu board'))).toMatch(
      /^tok_\w{8}\s+Menu board\s+menu:read\s+\d{4}-/,
    );
    expect(lines).toHaveLength(1 + countRows().tokens);
  });
});
