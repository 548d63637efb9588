/**
 * The owner pages' shell: every page under `/admin` is built on it.
 *
 * ## Contract: adding an owner page
 *
 * 1. Write a module `src/admin/<name>-routes.tsx` exporting a factory that returns an {@link AdminModule}:
 *    `export function menuModule(deps: MenuPageDeps): AdminModule { return { nav: { id: 'menu', label:
 *    'Menu', path: '/admin/menu' }, mount(router, shell) { router.get('/menu', (c) => shell.render(c, { … })) } }; }`
 *    Paths given to `router` are relative to `/admin`; links and form actions are absolute (`/admin/menu`).
 * 2. Add it to the list in `mount-admin.ts` (and what it needs to `AdminDeps`, wired in `src/main.ts`).
 *    Only modules in that list get a nav link, placed by {@link NAV_ORDER}; `nav` may be left out.
 * 3. Everything a module mounts is behind {@link AdminShell.requireOwner}, which `mountAdmin` puts in front
 *    of every module: no session → GET redirects to the login (or to onboarding on a fresh device), any
 *    other method gets 401. A customer's OAuth token or an ACP key is never looked at: only the owner's
 *    session cookie counts.
 * 4. Every POST (PUT, PATCH, DELETE) is refused with 403 unless its body carries the session's CSRF token
 *    in the field `csrf` (url-encoded or multipart forms). Put `<CsrfField token={c.get('csrf')} />` in
 *    every form, or use `<PostButton>` from `admin-layout.tsx`. Answer a POST with a 303 redirect to a
 *    GET page and tell the owner what happened with `shell.flash(c, 'ok' | 'error', text)`.
 * 5. Render whole pages with `shell.render(c, { title, nav: '<id>', body })`: the layout (shop name, nav,
 *    flash, log-out button) around `body`, a hono/jsx element. No inline scripts or styles: the pages'
 *    Content-Security-Policy allows scripts, styles and fetches from this origin only (`/admin/assets/…`),
 *    images from this origin and `data:`, forms posting to this origin, and no framing at all
 *    (`frame-ancestors 'none'`, `X-Frame-Options: DENY`); pages are `Cache-Control: no-store`.
 * 6. Record every owner change that is not an order move with `shell.ownerAction('menu.import', target)`
 *    → audit action `owner.menu.import`, actor kind `owner`. Order moves made with the actor `OWNER_ACTOR`
 *    are recorded by the order service's own hook (action `order.<event>`); do not record them twice.
 * 7. Pages work without JavaScript; a script from `/admin/assets/` may improve one (the dashboard's live list).
 * 8. A handler behind the shell has `c.get('ownerSession')` (the session id; never show or log it) and
 *    `c.get('csrf')`. Until onboarding is finished every GET goes to `/admin/onboarding`. Request bodies
 *    are held to the app's limit (256 KiB, `createHttpApp`'s `maxBodyBytes`).
 * 9. Test a page over HTTP with `test/helpers/owner-browser.ts` (`onboard(t)` gives a logged-in owner whose
 *    `get`/`post` keep the cookies and read each page's `csrf`); `test/admin-browser.test.ts` drives chromium.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../http/app.js';
import { readFormBody } from '../http/read-form.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import type { AdminCsrf } from './admin-csrf.js';
import { CSRF_FIELD } from './admin-csrf.js';
import type { AdminFlash, Flash } from './admin-flash.js';
import { messagePage, renderLayout } from './admin-layout.js';
import type { OwnerSessions } from './admin-session.js';

/** Variables an owner request carries: the app's, the session id and its CSRF token. */
export interface AdminEnv {
  Variables: AppEnv['Variables'] & { ownerSession: string; csrf: string };
}

/** The router modules mount on; its paths are relative to `/admin`. */
export type AdminRouter = Hono<AdminEnv>;

/** A page's link in the nav. */
export interface AdminNavEntry {
  /** One of NAV_ORDER, or another id (listed after them). */
  readonly id: string;
  readonly label: string;
  readonly path: string;
}

/** One owner page (or a group of them): its nav link and its routes. */
export interface AdminModule {
  readonly nav?: AdminNavEntry;
  mount(router: AdminRouter, shell: AdminShell): void;
}

/** Where each page's link goes in the nav, whether or not that page exists yet. */
export const NAV_ORDER: readonly string[] = [
  'dashboard',
  'take-order',
  'sales',
  'menu',
  'offers',
  'stations',
  'settings',
  'keys',
  'connect',
  'audit',
  'backups',
  'reports',
];

/** The actor an owner's order moves are made (and audited) as. */
export const OWNER_ACTOR = 'owner';

/** What a module's page hands the layout. */
export interface AdminPageContent {
  readonly title: string;
  /** The nav id to mark as the current page. */
  readonly nav?: string;
  readonly body: Child;
  readonly status?: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429;
}

/** What every owner page gets from the shell. */
export interface AdminShell {
  /** The owner's session and, on POST, the CSRF token; see the contract above. */
  readonly requireOwner: MiddlewareHandler<AdminEnv>;
  /** A whole page in the layout, with the nav (when logged in) and the waiting flash message. */
  render(c: Context<AdminEnv>, page: AdminPageContent): Promise<Response>;
  /** A message for the next page the owner sees. */
  flash(c: Context, kind: Flash['kind'], text: string): void;
  /** An audit row `owner.<action>` by the owner; outcome `ok` unless told. */
  ownerAction(
    action: string,
    target?: string,
    details?: { readonly outcome?: string; readonly input?: unknown },
  ): void;
}

export interface AdminShellDeps {
  readonly sessions: OwnerSessions;
  readonly csrf: AdminCsrf;
  readonly flash: AdminFlash;
  readonly audit: Pick<AuditLog, 'record'>;
  /** Whether a password is set and onboarding is done: where a visitor without a session is sent. */
  readonly account: () => { readonly hasPassword: boolean; readonly onboarded: boolean };
  readonly shopName: () => string;
  /** Nav entries of the mounted modules. */
  readonly nav: () => readonly AdminNavEntry[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Builds the shell the modules use. */
export function createAdminShell(deps: AdminShellDeps): AdminShell {
  const shell: AdminShell = {
    async requireOwner(c, next) {
      const session = deps.sessions.current(c);
      const safe = SAFE_METHODS.has(c.req.method);
      if (session === undefined) {
        if (!safe) {
          return shell.render(c, {
            title: 'Please log in again',
            body: messagePage('Your session has ended. Log in again, then repeat what you did.', {
              href: '/admin/login',
              label: 'Log in',
            }),
            status: 401,
          });
        }
        return c.redirect(deps.account().hasPassword ? '/admin/login' : '/admin/onboarding', 303);
      }
      c.set('ownerSession', session);
      c.set('csrf', deps.csrf.forSession(session));
      if (!safe) {
        const form = await readFormBody(c).catch(() => ({}) as Record<string, unknown>);
        if (!deps.csrf.validForSession(session, (form as Record<string, unknown>)[CSRF_FIELD])) {
          return shell.render(c, {
            title: 'Form refused',
            body: messagePage(
              'This form was not sent from an owner page of this session, or it is out of date. Nothing changed. Reload the page and try again.',
              { href: '/admin', label: 'Back to the dashboard' },
            ),
            status: 403,
          });
        }
      } else if (!deps.account().onboarded && !c.req.path.startsWith('/admin/onboarding')) {
        return c.redirect('/admin/onboarding', 303);
      }
      await next();
      return undefined;
    },
    async render(c, page) {
      const session = c.get('ownerSession') as string | undefined;
      const html = await renderLayout({
        title: page.title,
        // Until onboarding is done the settings still hold the demo shop's name, not this shop's.
        shopName: deps.account().onboarded ? deps.shopName() : 'counterpi',
        // No nav before onboarding is finished: its links would only lead back to onboarding.
        nav: session === undefined || !deps.account().onboarded ? [] : orderedNav(deps.nav()),
        active: page.nav,
        flash: deps.flash.take(c),
        csrf: session === undefined ? undefined : c.get('csrf'),
        body: page.body,
      });
      return c.html(html, page.status ?? 200);
    },
    flash(c, kind, text) {
      deps.flash.set(c, { kind, text });
    },
    ownerAction(action, target, details) {
      deps.audit.record({
        actorKind: 'owner',
        actor: OWNER_ACTOR,
        action: `owner.${action}`,
        target,
        outcome: details?.outcome ?? 'ok',
        input: details?.input,
      });
    },
  };
  return shell;
}

/** The nav in NAV_ORDER; ids it does not know follow in the order they were mounted. */
function orderedNav(entries: readonly AdminNavEntry[]): AdminNavEntry[] {
  const rank = (id: string) => {
    const at = NAV_ORDER.indexOf(id);
    return at === -1 ? NAV_ORDER.length : at;
  };
  return [...entries].sort((a, b) => rank(a.id) - rank(b.id));
}
