import type { Child, FC } from 'hono/jsx';
import { FAVICON_SVG_PATH } from '../http/favicon.js';
import { CSRF_FIELD } from './admin-csrf.js';
import type { Flash } from './admin-flash.js';

/** Where the owner pages' stylesheet and script are served (admin-assets.ts). */
export const ASSETS = {
  css: '/admin/assets/admin.css',
  live: '/admin/assets/live.js',
  enhance: '/admin/assets/enhance.js',
} as const;

/** The hidden field with the session's CSRF token; every owner form has one. */
export const CsrfField: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name={CSRF_FIELD} value={token} />
);

/** A one-button form: the way owner pages change something without JavaScript. */
export const PostButton: FC<{
  action: string;
  csrf: string;
  label: string;
  kind?: 'primary' | 'secondary' | 'danger';
}> = ({ action, csrf, label, kind }) => (
  <form method="post" action={action} class="inline">
    <CsrfField token={csrf} />
    <button type="submit" class={kind ?? 'primary'}>
      {label}
    </button>
  </form>
);

/** A short message with one link onward (refused forms, expired sessions, locks). */
export function messagePage(text: string, link?: { href: string; label: string }): Child {
  return (
    <section class="card">
      <p>{text}</p>
      {link === undefined ? null : (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      )}
    </section>
  );
}

/** What the layout around every owner page shows. */
export interface LayoutProps {
  readonly title: string;
  readonly shopName: string;
  /** Links of the pages that exist, in nav order; empty before login. */
  readonly nav: readonly { readonly id: string; readonly label: string; readonly path: string }[];
  readonly active: string | undefined;
  readonly flash: Flash | undefined;
  /** The session's CSRF token, for the log-out button; undefined before login. */
  readonly csrf: string | undefined;
  readonly body: Child;
}

const Layout: FC<LayoutProps> = (p) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${p.title} · ${p.shopName}`}</title>
      <link rel="stylesheet" href={ASSETS.css} />
      <link rel="icon" href={FAVICON_SVG_PATH} type="image/svg+xml" />
    </head>
    <body>
      <header class="top">
        <span class="shop">{p.shopName}</span>
        {p.csrf === undefined ? null : (
          <form method="post" action="/admin/logout" class="inline">
            <CsrfField token={p.csrf} />
            <button type="submit" class="link">
              Log out
            </button>
          </form>
        )}
      </header>
      {p.nav.length === 0 ? null : (
        <nav aria-label="Owner pages">
          <ul>
            {p.nav.map((entry) => (
              <li>
                <a href={entry.path} aria-current={entry.id === p.active ? 'page' : undefined}>
                  {entry.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main>
        <h1>{p.title}</h1>
        {p.flash === undefined ? null : (
          <p class={`flash ${p.flash.kind}`} role={p.flash.kind === 'error' ? 'alert' : 'status'}>
            {p.flash.text}
          </p>
        )}
        {p.body}
      </main>
    </body>
  </html>
);

/** The whole page as HTML text, doctype first (hono/jsx leaves it out). */
export async function renderLayout(props: LayoutProps): Promise<string> {
  return `<!doctype html>${await (<Layout {...props} />)}`;
}
