import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../http/html.js';
import { renderGuidePage, slugOf } from './guide-render.js';

const served = (file: string) =>
  ({ 'docs/operations.md': '/admin/guide/operations', 'hardware/README.md': '/admin/guide/hardware' })[file];

function render(markdown: string) {
  return renderGuidePage(markdown, 'docs/owner.md', served);
}

describe('renderGuidePage', () => {
  it('takes the title from the # heading and gives every other heading the anchor GitHub gives it', () => {
    const page = render(
      "# Running the shop\n\n## First start: onboarding & the dashboard\n\n### The owner's pages\n\n## Pickup\n\n## Pickup\n",
    );
    expect(page.title).toBe('Running the shop');
    expect(page.html).not.toContain('<h1');
    expect(page.headings).toEqual([
      {
        depth: 2,
        text: 'First start: onboarding & the dashboard',
        anchor: 'first-start-onboarding--the-dashboard',
      },
      { depth: 3, text: "The owner's pages", anchor: 'the-owners-pages' },
      { depth: 2, text: 'Pickup', anchor: 'pickup' },
      { depth: 2, text: 'Pickup', anchor: 'pickup-1' },
    ]);
    expect(page.html).toContain('<h3 id="the-owners-pages">The owner&#39;s pages</h3>');
    expect(page.html).toContain('<h2 id="pickup-1">Pickup</h2>');
  });

  it('words in code or emphasis count for the anchor, their marks do not', () => {
    expect(slugOf('Kitchen signals (GPIO)')).toBe('kitchen-signals-gpio');
    expect(render('## The `PRINTER` *setting*\n').headings[0]?.anchor).toBe('the-printer-setting');
  });

  it('shows raw HTML as text instead of passing it through', () => {
    const page = render(
      '# T\n\n<script>alert(1)</script>\n\nInline <img src=x onerror="alert(2)"> and <b>bold</b>.\n\n<div onclick="x()">block</div>\n',
    );
    expect(page.html).not.toMatch(/<(script|img|b|div)\b/);
    expect(page.html).toContain(escapeHtml('<script>alert(1)</script>'));
    expect(page.html).toContain(escapeHtml('<img src=x onerror="alert(2)">'));
  });

  it('points links between guide files at the served pages, keeping the section', () => {
    const page = render(
      '# T\n\nSee [Public address](operations.md#public-address), [the pins](../hardware/README.md#default-gpio-pins-bcm-numbering) and [below](#pickup).\n',
    );
    expect(page.html).toContain('<a href="/admin/guide/operations#public-address">Public address</a>');
    expect(page.html).toContain(
      '<a href="/admin/guide/hardware#default-gpio-pins-bcm-numbering">the pins</a>',
    );
    expect(page.html).toContain('<a href="#pickup">below</a>');
  });

  it('leaves links to files outside the guide, and to other schemes, as plain text', () => {
    const page = render(
      '# T\n\n[the developer guide](development.md), [main](../src/main.ts), [x](javascript:alert(1)), [y](data:text/html,hi), ![a photo](https://example.com/a.png) and [Node](https://nodejs.org/).\n',
    );
    expect(page.html).toContain(
      '<p>the developer guide, main, x, y, a photo and <a href="https://nodejs.org/">Node</a>.</p>',
    );
  });

  it('puts a table in a box that scrolls sideways on its own', () => {
    const page = render('# T\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n');
    expect(page.html).toMatch(/^<div class="scroll"><table>[\s\S]*<\/table>\n<\/div>$/);
  });
});
