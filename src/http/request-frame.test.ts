import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/app-error.js';
import { createSilentLogger } from '../platform/logger.js';
import { createRequestFrame, type PlainAnswer, writePlainAnswer } from './request-frame.js';

async function served(answer: PlainAnswer): Promise<Response> {
  const server = createServer((_incoming, outgoing) => writePlainAnswer(outgoing, answer, 'req-1'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await res.arrayBuffer();
    return res;
  } finally {
    server.close();
  }
}

describe('an answer written straight to Node', () => {
  it('carries the security headers, the request id and its exact length', async () => {
    const res = await served({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"é":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-length')).toBe('8');
  });

  it('lets the answer override a security header, whatever its case, without sending both', async () => {
    const res = await served({ status: 200, headers: { 'x-frame-options': 'DENY' }, body: '' });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('the frame', () => {
  it('answers an AppError with its status and Retry-After, anything else with a bare 500', () => {
    const frame = createRequestFrame({ log: createSilentLogger(), maxBodyBytes: 10 });
    const busy = frame.errorAnswer(
      new AppError('idempotency_in_flight', 'Still running.', { retryAfter: 2 }),
      'r',
    );
    expect(busy).toMatchObject({ status: 409, headers: { 'retry-after': '2' } });
    expect(JSON.parse(busy.body)).toEqual({
      error: { code: 'idempotency_in_flight', message: 'Still running.', request_id: 'r' },
    });
    const boom = frame.errorAnswer(new Error('disk /var/x failed'), 'r');
    expect(boom.status).toBe(500);
    expect(boom.body).not.toContain('/var/x');
  });
});

describe('an error the frame recognises', () => {
  it('answers a known condition as its AppError, without a stack in the log, and anything else as before', () => {
    const lines: unknown[] = [];
    const log = createSilentLogger();
    const logged = { ...log, error: (...args: unknown[]) => lines.push(args) } as typeof log;
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const frame = createRequestFrame({
      log: logged,
      maxBodyBytes: 10,
      recognise: (error) =>
        (error as { code?: unknown }).code === 'SQLITE_FULL'
          ? new AppError('storage_full', 'The shop cannot take orders right now.', { retryAfter: 60 })
          : undefined,
    });
    const answer = frame.errorAnswer(full, 'r');
    expect(answer).toMatchObject({ status: 503, headers: { 'retry-after': '60' } });
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'storage_full' } });
    expect(lines).toHaveLength(0);
    expect(frame.errorAnswer(new Error('boom'), 'r').status).toBe(500);
    expect(lines).toHaveLength(1);
  });
});
