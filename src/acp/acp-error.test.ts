import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/app-error.js';
import { statusForCode } from '../http/error-response.js';
import { acpErrorFromApp } from './acp-error.js';

describe('ACP error statuses', () => {
  it('answers an unknown item in the body 400 where the shop API says 404', () => {
    const error = new AppError('item_not_found', 'No unicorn steak here.', {
      violations: [{ code: 'item_not_found', message: 'No unicorn steak here.', path: 'lines.1.id' }],
    });
    expect(statusForCode('item_not_found')).toBe(404);
    expect(acpErrorFromApp(error, { lines: 'line_items' })).toMatchObject({
      status: 400,
      body: { type: 'invalid_request', code: 'item_not_found', param: '$.line_items[1].id' },
    });
  });

  it('answers a declined payment 402 processing_error (MCP binding example error_payment_declined) where the shop API says 422', () => {
    const error = new AppError('payment_declined', 'Over the allowance.', {
      violations: [
        { code: 'payment_declined', message: 'Over the allowance.', path: 'payment_data.instrument' },
      ],
    });
    expect(statusForCode('payment_declined')).toBe(422);
    expect(acpErrorFromApp(error)).toMatchObject({
      status: 402,
      body: { type: 'processing_error', code: 'payment_declined', param: '$.payment_data.instrument' },
    });
  });

  it('answers every other code with the shop API status', () => {
    const cases = [
      ['not_found', 404, 'invalid_request'],
      ['menu_import_invalid', 400, 'invalid_request'],
      ['invalid_transition', 409, 'invalid_request'],
      ['idempotency_conflict', 422, 'invalid_request'],
      ['shop_closed', 422, 'invalid_request'],
      ['store_missing', 503, 'service_unavailable'],
      ['storage_full', 503, 'processing_error'],
      ['internal', 500, 'processing_error'],
    ] as const;
    for (const [code, status, type] of cases) {
      const answer = acpErrorFromApp(new AppError(code, 'Refused.'));
      expect([code, answer.status, answer.body.type]).toEqual([code, status, type]);
      expect(statusForCode(code)).toBe(status);
    }
  });

  it('tells an agent when to retry a key still in flight (ACP checkout §6.4)', () => {
    const busy = new AppError('idempotency_in_flight', 'Still running.', { retryAfter: 1 });
    expect(acpErrorFromApp(busy)).toMatchObject({
      status: 409,
      body: { type: 'invalid_request', code: 'idempotency_in_flight' },
      headers: { 'Retry-After': '1' },
    });
  });

  it('answers a routed path with another method 405 on both dialects (RFC 9110 §15.5.6)', () => {
    expect(statusForCode('method_not_allowed')).toBe(405);
    expect(acpErrorFromApp(new AppError('method_not_allowed', 'POST only.'))).toMatchObject({
      status: 405,
      body: { type: 'invalid_request', code: 'method_not_allowed' },
    });
  });
});
