import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_TOPICS, type GuideTopic, guideHref } from '../src/admin/guide-link.js';
import { GUIDE_DOCS } from '../src/admin/guide-pages.js';
import { type OwnerBrowser, onboard, ownerBrowser } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let owner: OwnerBrowser;
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
});
afterAll(async () => {
  await t?.stop();
});

/** The guide addresses a page links to. */
function guideLinks(html: string): string[] {
  return [...html.matchAll(/href="(\/admin\/guide[^"]*)"/g)].map((m) => m[1] ?? '');
}

describe("the owner's guide", () => {
  it('is served to anyone, without logging in, in the owner pages’ layout', async () => {
    const stranger = ownerBrowser(t.url);
    const index = await stranger.get('/admin/guide');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<link rel="stylesheet" href="/admin/assets/admin.css"/>');
    expect(index.text).toContain('<meta name="viewport" content="width=device-width,initial-scale=1"/>');
    for (const doc of GUIDE_DOCS) expect(index.text).toContain(`href="/admin/guide/${doc.id}"`);
    // No session: no owner nav and no log-out button.
    expect(index.text).not.toContain('<nav');
    expect(index.text).not.toContain('/admin/logout');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");

    const page = await stranger.get('/admin/guide/owner');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Running the shop: the owner&#39;s guide</h1>');
    expect(page.text).toContain('<h2 id="forgotten-owner-password">Forgotten owner password</h2>');
    // A link between docs points at the served page, section included.
    expect(page.text).toContain('<a href="/admin/guide/operations#public-address">');
    expect(page.text).not.toContain('operations.md');
    expect(page.text).not.toMatch(/<script/);
  });

  it('answers 404 for a page it does not serve', async () => {
    const stranger = ownerBrowser(t.url);
    for (const path of [
      '/admin/guide/development',
      '/admin/guide/README',
      '/admin/guide/..%2Fpackage.json',
    ]) {
      const answer = await stranger.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.text).toContain('The guide has no such page.');
    }
  });

  it('shows a logged-in owner the nav, with Help as the current page', async () => {
    const page = await owner.get('/admin/guide/kitchen');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/admin/guide" aria-current="page">Help</a>');
    expect(page.text).toContain('/admin/logout');
    expect((await owner.get('/admin')).text).toContain('<a href="/admin/guide">Help</a>');
  });

  it('is where the login page sends an owner who forgot the password', async () => {
    const login = await ownerBrowser(t.url).get('/admin/login');
    expect(guideLinks(login.text)).toContain('/admin/guide/owner#forgotten-owner-password');
  });

  it('has the section behind every guide link on the owner pages', async () => {
    const pages = [
      '/admin',
      '/admin/menu',
      '/admin/menu/import',
      '/admin/offers',
      '/admin/settings',
      '/admin/keys',
      '/admin/connect',
      '/admin/backups',
      '/admin/audit',
      '/admin/sales',
      '/admin/reports',
      '/admin/orders/new',
    ];
    const links = new Set<string>(guideLinks((await ownerBrowser(t.url).get('/admin/login')).text));
    for (const path of pages) {
      const page = await owner.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).not.toMatch(/docs\/|README/);
      for (const link of guideLinks(page.text)) links.add(link);
    }
    // Every topic is linked from some page: none is dead, each is checked below.
    const expected = Object.keys(GUIDE_TOPICS) as GuideTopic[];
    expect([...links]).toEqual(expect.arrayContaining(expected.map(guideHref)));
    const reader = ownerBrowser(t.url);
    for (const link of links) {
      const [path = '', anchor] = link.split('#');
      const page = await reader.get(path);
      expect(page.status, link).toBe(200);
      if (anchor !== undefined) expect(page.text, link).toContain(` id="${anchor}"`);
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)(`the guide on a phone (skipped when ${CHROMIUM} is missing)`, () => {
  it('fits a 390 px wide screen: no page of it scrolls sideways', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const wide: string[] = [];
      for (const path of ['/admin/guide', ...GUIDE_DOCS.map((d) => `/admin/guide/${d.id}`)]) {
        await page.goto(`${t.url}${path}`);
        // A string: this project's TypeScript has no DOM types; it runs in the page.
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        if (width > 390) wide.push(`${path}: ${width} px`);
      }
      expect(wide).toEqual([]);
      // The stylesheet applies (a served page without it would still be narrow, but unstyled).
      await page.goto(`${t.url}/admin/guide/owner`);
      expect(await page.evaluate("getComputedStyle(document.querySelector('.guide')).borderRadius")).not.toBe(
        '0px',
      );
    } finally {
      await browser.close();
    }
  });
});
