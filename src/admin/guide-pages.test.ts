import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GUIDE_TOPICS } from './guide-link.js';
import { cachedGuide, GUIDE_DOCS, type Guide, loadGuide, PACKAGE_ROOT } from './guide-pages.js';

const guide = loadGuide(PACKAGE_ROOT);

function anchorsOf(g: Guide, id: string): string[] {
  return g.page(id)?.headings.map((h) => h.anchor) ?? [];
}

describe('the owner guide as shipped', () => {
  it('renders every file it serves, each with a title and sections', () => {
    expect(guide.missing).toEqual([]);
    expect(guide.pages.map((p) => p.id)).toEqual(GUIDE_DOCS.map((d) => d.id));
    for (const page of guide.pages) {
      expect(page.title, page.id).not.toBe('');
      expect(page.headings.length, page.id).toBeGreaterThan(0);
    }
  });

  it('has every section an owner page links to (a renamed heading fails here)', () => {
    const broken = Object.entries(GUIDE_TOPICS)
      .filter(([, topic]) => !anchorsOf(guide, topic.doc).includes(topic.anchor))
      .map(([name, topic]) => `${name}: ${topic.doc}#${topic.anchor}`);
    expect(broken).toEqual([]);
  });

  it('has every section its own pages link to', () => {
    const broken: string[] = [];
    for (const page of guide.pages) {
      for (const [, href] of page.html.matchAll(/<a href="([^"]*)"/g)) {
        if (href === undefined || /^https?:/.test(href)) continue;
        const [, linked = page.id, anchor] = /^(?:\/admin\/guide\/([^#]+))?(?:#(.*))?$/.exec(href) ?? [];
        if (
          guide.page(linked) === undefined ||
          (anchor !== undefined && !anchorsOf(guide, linked).includes(anchor))
        ) {
          broken.push(`${page.id}: ${href}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('holds no secret and no path of a developer machine (the pages are public)', () => {
    const text = guide.pages.map((p) => p.html).join('\n');
    expect(text).not.toMatch(
      /\/(home|root|Users)\/|-----BEGIN|\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}|whsec_[A-Za-z0-9]{8,}/,
    );
  });

  it('is copied into the bundle and into every install, so an installed counterpi serves it', () => {
    const folders = [...new Set(GUIDE_DOCS.map((d) => d.file.split('/')[0] ?? ''))];
    const copies = [
      ...readFileSync(join(PACKAGE_ROOT, 'scripts/bundle.sh'), 'utf8').matchAll(
        /^.*cp -a (.*) "\$stage\/"\)?$/gm,
      ),
      ...readFileSync(join(PACKAGE_ROOT, 'scripts/install.sh'), 'utf8').matchAll(
        /^.*cp -a (.*) "\$stage\/"\)$/gm,
      ),
    ].map((m) => (m[1] ?? '').split(/\s+/));
    // bundle.sh: the app; install.sh: from a checkout and from a bundle.
    expect(copies).toHaveLength(3);
    for (const copied of copies) expect(copied).toEqual(expect.arrayContaining(folders));
  });
});

describe('cachedGuide', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('renders once per process, and names the files it could not read', () => {
    root = mkdtempSync(join(tmpdir(), 'guide-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/owner.md'), '# Owner\n\n## Backups\n');
    let renders = 0;
    const get = cachedGuide(root, () => {
      renders += 1;
    });
    const first = get();
    writeFileSync(join(root, 'docs/owner.md'), '# Changed\n');
    expect(get()).toBe(first);
    expect(renders).toBe(1);
    expect(first.page('owner')?.title).toBe('Owner');
    expect(first.missing).toEqual(GUIDE_DOCS.filter((d) => d.id !== 'owner').map((d) => d.file));
  });
});
