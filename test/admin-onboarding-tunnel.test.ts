import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerBrowser, PASSWORD, shopForm } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe('the last onboarding step', () => {
  it('takes the tunnel token and public address, refusing a wrong one without finishing', async () => {
    const owner = ownerBrowser(t.url);
    const page = await owner.get('/admin/onboarding');
    await owner.post(
      '/admin/onboarding',
      shopForm(page.csrf ?? '', { password: PASSWORD, password_again: PASSWORD }),
    );
    const menu = await owner.get('/admin/onboarding/menu');
    await owner.post('/admin/onboarding/menu', { csrf: menu.csrf ?? '', start: 'empty' });
    const printer = await owner.get('/admin/onboarding/printer');
    await owner.post('/admin/onboarding/printer', { csrf: printer.csrf ?? '', kind: 'sim', action: 'next' });
    const address = await owner.get('/admin/onboarding/address');
    const step = { csrf: address.csrf ?? '', action: 'finish' };
    const wrong = await owner.post('/admin/onboarding/address', {
      ...step,
      public_url: 'order.myshop.com',
      tunnel_token: 'abc',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('not a Cloudflare tunnel token');
    expect(existsSync(join(t.dataDir, 'tunnel.env'))).toBe(false);
    const token = 'eyJhIjoiMTIzIiwidCI6ImFiYyIsInMiOiJ4eXoifQ'.repeat(3);
    const done = await owner.post('/admin/onboarding/address', {
      ...step,
      public_url: 'https://order.burgers.example.com',
      tunnel_token: token,
    });
    expect(done.location).toBe('/admin');
    expect(readFileSync(join(t.dataDir, 'tunnel.env'), 'utf8')).toBe(`TUNNEL_TOKEN=${token}\n`);
    expect(statSync(join(t.dataDir, 'public-url.env')).mode & 0o777).toBe(0o600);
    expect((await owner.get('/admin')).text).toContain(
      'The public address https://order.burgers.example.com',
    );
  });
});
