import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const SECRET = 'smtp-pass-Zq81';

describe('Settings: email to customers through the shop’s own mail server', () => {
  let t: TestApp;
  let owner: OwnerBrowser;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await onboard(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  const saved = () => {
    const conn = db(t);
    try {
      return JSON.parse(String(conn.prepare("SELECT value FROM settings WHERE key = 'email'").pluck().get()));
    } finally {
      conn.close();
    }
  };
  const form = async (fields: Record<string, string>) =>
    owner.post('/admin/settings/email', {
      csrf: (await owner.get('/admin/settings')).csrf ?? '',
      enabled: 'on',
      host: 'smtp.burgers.example.com',
      port: '587',
      security: 'starttls',
      user: 'orders',
      from: 'Test Burgers <orders@burgers.example.com>',
      ...fields,
    });

  it('is off until the owner fills it in, and says what is missing', async () => {
    const page = await owner.get('/admin/settings');
    expect(page.text).toContain('Email to customers');
    const wrong = await form({ host: '', from: 'nobody', password: SECRET });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Write a mail server name, like smtp.example.com.');
    expect(wrong.text).toContain('Write a sender address, like orders@example.com.');
    expect(wrong.text).not.toContain(SECRET);
  });

  it('keeps the password without ever showing or auditing it; an empty field keeps the saved one', async () => {
    expect((await form({ password: SECRET })).status).toBe(303);
    expect(saved()).toMatchObject({ enabled: true, host: 'smtp.burgers.example.com', password: SECRET });
    const page = await owner.get('/admin/settings');
    expect(page.text).not.toContain(SECRET);
    expect(page.text).toContain('Saved. Leave empty to keep it.');
    expect((await form({ password: '', port: '465', security: 'tls' })).status).toBe(303);
    expect(saved()).toMatchObject({ port: 465, security: 'tls', password: SECRET });
    const conn = db(t);
    try {
      const rows = conn
        .prepare("SELECT input_summary FROM audit_log WHERE action = 'owner.settings.email'")
        .pluck()
        .all() as string[];
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row).toContain('smtp.burgers.example.com');
        expect(row).not.toContain(SECRET);
      }
    } finally {
      conn.close();
    }
  });
});
