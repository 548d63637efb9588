import type { MiddlewareHandler } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Logger } from '../platform/logger.js';
import type { AdminCsrf } from './admin-csrf.js';
import { messagePage } from './admin-layout.js';
import type { OwnerSessions } from './admin-session.js';
import type { AdminEnv, AdminModule } from './admin-shell.js';
import { cachedGuide, type Guide, type GuidePage } from './guide-pages.js';

/** What the guide's pages need. */
export interface GuideDeps {
  /** The package's top directory, holding `docs/` and `hardware/` (guide-pages.ts `PACKAGE_ROOT`). */
  readonly root: string;
  /** The owner's session, when there is one: the guide then shows the nav and Log out, as other pages do. */
  readonly sessions: Pick<OwnerSessions, 'current'>;
  readonly csrf: Pick<AdminCsrf, 'forSession'>;
  readonly log: Logger;
}

const INDEX_TITLE = 'Owner’s guide';

function pageSections(page: GuidePage): Child {
  return (
    <ul>
      {page.headings
        .filter((h) => h.depth === 2)
        .map((h) => (
          <li>
            <a href={`/admin/guide/${page.id}#${h.anchor}`}>{h.text}</a>
          </li>
        ))}
    </ul>
  );
}

function indexBody(guide: Guide): Child {
  return (
    <>
      <p>
        How to run the shop with counterpi: the owner pages, the kitchen’s printer and signals, the Pi. These
        pages come with counterpi and need no login; every owner page links to the part it needs.
      </p>
      {guide.pages.map((page) => (
        <section class="card">
          <h2>
            <a href={`/admin/guide/${page.id}`}>{page.title}</a>
          </h2>
          {pageSections(page)}
        </section>
      ))}
      {guide.missing.length === 0 ? null : (
        <p class="hint">Not installed on this counterpi: {guide.missing.join(', ')}.</p>
      )}
      <p>
        <a href="/admin">Go to the owner pages</a>
      </p>
      <p class="hint">
        The developer’s guide (the code, the tests, the benchmarks) is docs/development.md in counterpi’s
        source code; it is not served here.
      </p>
    </>
  );
}

function pageBody(page: GuidePage): Child {
  return (
    <>
      <p>
        <a href="/admin/guide">All of the owner’s guide</a>
      </p>
      <section class="card toc">
        <h2>On this page</h2>
        {pageSections(page)}
      </section>
      <article class="guide">{raw(page.html)}</article>
    </>
  );
}

/**
 * `/admin/guide` and `/admin/guide/<page>`: the owner's guide rendered from the markdown files shipped with
 * counterpi, readable without logging in (it holds no secret; the login page links to it). Mounted before
 * the owner's session is required, so its routes never pass through `requireOwner`.
 */
export function guideModule(deps: GuideDeps): AdminModule {
  const guide = cachedGuide(deps.root, (loaded) => {
    if (loaded.missing.length > 0) {
      deps.log.warn({ missing: loaded.missing }, 'owner guide files missing: those pages are not served');
    }
  });
  const withOwner: MiddlewareHandler<AdminEnv> = async (c, next) => {
    const session = deps.sessions.current(c);
    if (session !== undefined) {
      c.set('ownerSession', session);
      c.set('csrf', deps.csrf.forSession(session));
    }
    await next();
  };
  return {
    nav: { id: 'guide', label: 'Help', path: '/admin/guide' },
    mount(router, shell) {
      router.get('/guide', withOwner, (c) =>
        shell.render(c, { title: INDEX_TITLE, nav: 'guide', body: indexBody(guide()) }),
      );
      router.get('/guide/:page', withOwner, (c) => {
        const page = guide().page(c.req.param('page'));
        if (page === undefined) {
          return shell.render(c, {
            title: 'Not in the guide',
            nav: 'guide',
            body: messagePage('The guide has no such page.', { href: '/admin/guide', label: INDEX_TITLE }),
            status: 404,
          });
        }
        return shell.render(c, { title: page.title, nav: 'guide', body: pageBody(page) });
      });
    },
  };
}
