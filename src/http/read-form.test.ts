import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../platform/logger.js';
import { createHttpApp } from './app.js';
import { readFormBody } from './read-form.js';

function app() {
  const http = createHttpApp({ log: createSilentLogger(), readiness: [] });
  http.post('/form', async (c) => c.json(await readFormBody(c, { all: true })));
  return http;
}

describe('readFormBody', () => {
  it('reads url-encoded and multipart forms', async () => {
    const encoded = await app().request('/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=abc&tag=a&tag=b',
    });
    expect(await encoded.json()).toEqual({ csrf: 'abc', tag: ['a', 'b'] });
    const form = new FormData();
    form.set('csrf', 'abc');
    const multipart = await app().request('/form', { method: 'POST', body: form });
    expect(await multipart.json()).toEqual({ csrf: 'abc' });
  });

  it('answers 400 invalid_input, not 500, to a body that says multipart and is not', async () => {
    for (const body of ['csrf=abc', '\ufeff{}', '']) {
      const res = await app().request('/form', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body,
      });
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    }
  });
});
