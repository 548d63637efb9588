import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { readFormBody } from '../http/read-form.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { AdminCsrf } from './admin-csrf.js';
import { CSRF_FIELD } from './admin-csrf.js';
import { CsrfField, messagePage } from './admin-layout.js';
import type { OwnerAccounts } from './admin-ports.js';
import { addressOf } from './admin-request.js';
import type { OwnerSessions } from './admin-session.js';
import type { AdminEnv, AdminRouter, AdminShell } from './admin-shell.js';
import { guideHref } from './guide-link.js';
import { createLoginGuard } from './login-guard.js';
import { verifyPassword } from './owner-password.js';

/** What the login and logout need. */
export interface LoginDeps {
  readonly owners: Pick<OwnerAccounts, 'account'>;
  readonly sessions: OwnerSessions;
  readonly csrf: AdminCsrf;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Password checks running at once, at most: each holds 32 MiB of scrypt memory for a moment. */
const MAX_CHECKS = 2;

function loginForm(csrf: string, error?: string): Child {
  return (
    <form method="post" action="/admin/login" class="card">
      {error === undefined ? null : (
        <p class="flash error" role="alert">
          {error}
        </p>
      )}
      <CsrfField token={csrf} />
      <p class="field">
        <label for="password">Owner password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </p>
      <button type="submit" class="primary">
        Log in
      </button>
      <p class="hint">
        Forgot it? <a href={guideHref('forgottenPassword')}>How to set a new one</a>.
      </p>
    </form>
  );
}

/** `/admin/login` (password → session) and `/admin/logout`, with the lockout of login-guard.ts. */
export function mountLogin(router: AdminRouter, shell: AdminShell, deps: LoginDeps): void {
  const guard = createLoginGuard({ clock: deps.clock });
  let checking = 0;

  const locked = (c: Context<AdminEnv>, seconds: number) => {
    c.header('Retry-After', String(seconds));
    const minutes = Math.ceil(seconds / 60);
    return shell.render(c, {
      title: 'Login locked',
      body: messagePage(
        `Too many wrong passwords. Login is locked for ${minutes === 1 ? 'a minute' : `${minutes} minutes`}; try again after that.`,
      ),
      status: 429,
    });
  };

  router.get('/login', async (c) => {
    if (deps.owners.account().passwordHash === undefined) return c.redirect('/admin/onboarding', 303);
    if (deps.sessions.current(c) !== undefined) return c.redirect('/admin', 303);
    return shell.render(c, { title: 'Owner login', body: loginForm(deps.csrf.forBrowser(c)) });
  });

  router.post('/login', async (c) => {
    const address = addressOf(c);
    const wait = guard.lockedFor(address);
    if (wait !== undefined) return locked(c, wait);
    const form = await readFormBody(c);
    if (!deps.csrf.validForBrowser(c, form[CSRF_FIELD])) {
      return shell.render(c, {
        title: 'Owner login',
        body: loginForm(
          deps.csrf.forBrowser(c),
          'The login form was out of date. Please type the password again.',
        ),
        status: 403,
      });
    }
    const stored = deps.owners.account().passwordHash;
    if (stored === undefined) return c.redirect('/admin/onboarding', 303);
    if (checking >= MAX_CHECKS) {
      c.header('Retry-After', '2');
      return shell.render(c, {
        title: 'Owner login',
        body: messagePage('Busy, try again in a moment.'),
        status: 429,
      });
    }
    checking += 1;
    let ok: boolean;
    try {
      ok = await verifyPassword(typeof form.password === 'string' ? form.password : '', stored);
    } finally {
      checking -= 1;
    }
    if (!ok) {
      const lock = guard.failed(address);
      shell.ownerAction('login', undefined, { outcome: lock === undefined ? 'wrong_password' : 'locked' });
      if (lock !== undefined) {
        deps.log.warn({ address, seconds: lock }, 'owner login locked after wrong passwords');
        return locked(c, lock);
      }
      return shell.render(c, {
        title: 'Owner login',
        body: loginForm(deps.csrf.forBrowser(c), 'Wrong password.'),
        status: 401,
      });
    }
    deps.sessions.start(c);
    shell.ownerAction('login');
    return c.redirect(deps.owners.account().onboardedAt === undefined ? '/admin/onboarding' : '/admin', 303);
  });

  router.post('/logout', shell.requireOwner, (c) => {
    deps.sessions.end(c);
    shell.ownerAction('logout');
    shell.flash(c, 'ok', 'You are logged out.');
    return c.redirect('/admin/login', 303);
  });
}
