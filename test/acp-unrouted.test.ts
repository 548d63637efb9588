import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcpCall, acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { acpSchemaErrors } from './helpers/acp-schemas.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let acp: ReturnType<typeof acpClient>;
let sessionId = '';
beforeAll(async () => {
  t = await startTestApp();
  acp = acpClient(t.url, createTestAcpKey(t.dataDir, 'Agent platform').secret);
  const created = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }], currency: 'usd' });
  expect(created.status).toBe(201);
  sessionId = String(created.body.id);
});
afterAll(async () => {
  await t.stop();
});

/** Every answer is the flat ACP `Error` of schema.agentic_checkout.json, `type: invalid_request`. */
function expectAcpError(res: AcpCall, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(acpSchemaErrors('checkout', 'Error', res.body)).toEqual([]);
  expect(res.body).toMatchObject({ type: 'invalid_request', code });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
}

describe('paths under ACP that no route answers', () => {
  it('answers a known path with a wrong method 405 and the methods it has in Allow (RFC 9110 §15.5.6)', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', `/checkout_sessions/${sessionId}`, 'GET, HEAD, POST'],
      ['PUT', `/checkout_sessions/${sessionId}/complete`, 'POST'],
      ['GET', `/checkout_sessions/${sessionId}/cancel`, 'POST'],
      ['PATCH', '/checkout_sessions', 'POST'],
      ['GET', '/agentic_commerce/delegate_payment', 'POST'],
      ['DELETE', '/feeds/menu/products', 'GET, HEAD'],
      ['POST', '/.well-known/acp.json', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await acp.request(method, path, method === 'GET' ? undefined : {});
      expectAcpError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
  });

  it('answers an unknown path under an ACP prefix 404 invalid_request / not_found (openapi.cart.yaml 404 example)', async () => {
    const cases: [string, string][] = [
      ['POST', '/delegate_authentication'],
      ['POST', '/delegate_authentication/authenticate'],
      ['GET', `/checkout_sessions/${sessionId}/order`],
      ['POST', '/carts/cart_1/checkout'],
      ['GET', '/agentic_commerce/nothing'],
      ['GET', '/delegate_payment'],
      ['GET', '/acp/handlers/unknown'],
      ['GET', '/feeds'],
    ];
    for (const [method, path] of cases) {
      const res = await acp.request(method, path, method === 'GET' ? undefined : {});
      expectAcpError(res, 404, 'not_found');
      expect(res.headers.get('allow'), `${method} ${path}`).toBeNull();
    }
  });

  it('leaves the shop’s own paths with the shop’s own error body', async () => {
    const res = await acp.get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});
