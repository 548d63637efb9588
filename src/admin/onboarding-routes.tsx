import type { Context, Next } from 'hono';
import { readFormBody } from '../http/read-form.js';
import { demoSettings } from '../services/shop/demo-shop.js';
import { CSRF_FIELD } from './admin-csrf.js';
import { messagePage } from './admin-layout.js';
import { addressOf, isLocalAddress } from './admin-request.js';
import type { AdminEnv, AdminRouter, AdminShell } from './admin-shell.js';
import { guessCurrency, guessLocale, timeZoneNames } from './onboarding-choices.js';
import type { OnboardingDeps } from './onboarding-deps.js';
import {
  blankValues,
  type OnboardingValues,
  onboardedSettings,
  onboardingValues,
  parseOnboarding,
} from './onboarding-form.js';
import { mountLaterSteps } from './onboarding-later-routes.js';
import { shopStep } from './onboarding-pages.js';
import { createOnboardingProgress, STEP_PATHS } from './onboarding-progress.js';
import { hashPassword } from './owner-password.js';

type C = Context<AdminEnv>;

/**
 * First boot, four pages: `/admin/onboarding` (password when none is set, the shop, tax, hours), `/menu`
 * (start from the demo menu, an empty one or a file), `/printer` (printer choice and test ticket) and
 * `/address` (the public address, or later), then the dashboard. Once finished every page refuses: GET
 * goes to the dashboard, POST gets 409. Without a password (a fresh device, or after a reset), only a
 * browser on the shop's own network may set one; with one (ADMIN_PASSWORD, or step 1 done) the pages need
 * the owner's session. `/admin/onboarding` resumes at the step this browser reached.
 */
export function mountOnboarding(router: AdminRouter, shell: AdminShell, deps: OnboardingDeps): void {
  const { owners } = deps;
  const timezones = timeZoneNames();
  const progress = createOnboardingProgress(deps);

  /** Refuses a finished onboarding, sends a fresh device's first visitor on, else asks for the session. */
  const gate = (needsPassword: boolean) => async (c: C, next: Next) => {
    const account = owners.account();
    // A password reset (docs/owner.md, Forgotten owner password) leaves the shop onboarded without a password: it is set here again.
    if (account.onboardedAt !== undefined && account.passwordHash !== undefined) {
      if (c.req.method !== 'POST') return c.redirect('/admin', 303);
      return shell.render(c, {
        title: 'Already set up',
        body: messagePage('This counterpi is set up already; nothing changed.', {
          href: '/admin',
          label: 'Go to the dashboard',
        }),
        status: 409,
      });
    }
    if (account.passwordHash !== undefined) return shell.requireOwner(c, next);
    if (needsPassword) return c.redirect('/admin/onboarding', 303);
    if (!isLocalAddress(addressOf(c))) {
      return shell.render(c, {
        title: 'Set up from the shop',
        body: messagePage(
          'The owner password of a new counterpi can only be set from the shop’s own network: open http://counterpi.local/admin there, or start counterpi with ADMIN_PASSWORD.',
        ),
        status: 403,
      });
    }
    await next();
    return undefined;
  };
  const askPassword = () => owners.account().passwordHash === undefined;

  /** The form's first values: the demo shop when asked, the saved shop once step 1 was done, else empty. */
  const firstValues = (c: C): OnboardingValues => {
    if (c.req.query('demo') === '1') return onboardingValues(demoSettings());
    if (progress.reached(c) !== undefined) return onboardingValues(deps.shop.settings());
    const locale = guessLocale(c.req.header('accept-language'));
    return blankValues({ locale, currency: guessCurrency(locale) });
  };

  const shopPage = (c: C, errors: readonly string[], values: OnboardingValues) => {
    const first = askPassword();
    const csrf = first ? deps.csrf.forBrowser(c) : c.get('csrf');
    return shell.render(c, {
      title: 'Welcome to counterpi',
      body: shopStep({
        values,
        errors,
        askPassword: first,
        csrf,
        timezones,
        demo: c.req.query('demo') === '1',
      }),
      status: errors.length === 0 ? 200 : 400,
    });
  };

  router.get('/onboarding', gate(false), async (c) => {
    const reached = progress.reached(c);
    // Back from the dashboard link or a reload: the step this browser reached, not step 1 again.
    if (reached !== undefined && reached !== 'shop' && c.req.query('step') !== 'shop' && !askPassword()) {
      return c.redirect(STEP_PATHS[reached], 303);
    }
    return shopPage(c, [], firstValues(c));
  });
  router.post('/onboarding', gate(false), async (c) => {
    const form = await readFormBody(c);
    const first = askPassword();
    if (first && !deps.csrf.validForBrowser(c, form[CSRF_FIELD])) {
      return shell.render(c, {
        title: 'Form refused',
        body: messagePage('This form is out of date. Nothing changed.', {
          href: '/admin/onboarding',
          label: 'Open it again',
        }),
        status: 403,
      });
    }
    const parsed = parseOnboarding(form, first);
    if (!parsed.ok) return shopPage(c, parsed.errors, parsed.values);
    const now = () => deps.clock.now().getTime();
    if (parsed.value.password !== undefined) {
      const hash = await hashPassword(parsed.value.password, deps.passwordCost);
      if (!owners.setFirstPassword(hash, now())) {
        return shell.render(c, {
          title: 'Already set up',
          body: messagePage('Someone set the owner password a moment ago. Log in with it.', {
            href: '/admin/login',
            label: 'Log in',
          }),
          status: 409,
        });
      }
      deps.sessions.start(c);
      shell.ownerAction('password.set');
      deps.log.info('owner password set during onboarding');
    }
    deps.saveSettings(onboardedSettings(deps.shop.settings(), parsed.value));
    shell.ownerAction('onboarding.shop', undefined, { input: parsed.value.profile });
    progress.reach(c, 'menu');
    return c.redirect(STEP_PATHS.menu, 303);
  });

  mountLaterSteps(router, shell, { ...deps, gate: gate(true), progress });
}
