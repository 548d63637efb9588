import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook } from './webhook-signature.js';

const BODY = '{"type":"order_create","data":{"id":"ord_1"}}';

describe('webhook signature', () => {
  it('matches a vector computed independently (openssl dgst -sha256 -hmac over "t.body")', () => {
    expect(signWebhook('whsec_test_secret', BODY, 1_767_225_600)).toBe(
      't=1767225600,v1=d1349a0742a63c7864be7caef0beaae912d3e2a32bcf62d9790660e9ef7da10a',
    );
  });

  it('has the shape the webhook OpenAPI requires and signs whole seconds', () => {
    const header = signWebhook('k', BODY, 1_767_225_600.987);
    expect(header).toMatch(/^t=\d+,v1=[a-fA-F0-9]{64}$/);
    const expected = createHmac('sha256', 'k').update(`1767225600.${BODY}`).digest('hex');
    expect(header).toBe(`t=1767225600,v1=${expected}`);
  });

  it('changes with the body, the time and the secret', () => {
    const base = signWebhook('k', BODY, 100);
    expect(signWebhook('k', `${BODY} `, 100)).not.toBe(base);
    expect(signWebhook('k', BODY, 101).split(',v1=')[1]).not.toBe(base.split(',v1=')[1]);
    expect(signWebhook('k2', BODY, 100)).not.toBe(base);
  });
});
