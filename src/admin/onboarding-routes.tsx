import type { Context, Next } from 'hono';
import type { ShopSettings } from '../domain/shop-settings.js';
import { readFormBody } from '../http/read-form.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { type PublicAddressInput, publicAddressProblems } from '../services/operations/public-address.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AdminCsrf } from './admin-csrf.js';
import { CSRF_FIELD } from './admin-csrf.js';
import { messagePage } from './admin-layout.js';
import type { AdminPrinter, OwnerAccounts } from './admin-ports.js';
import { addressOf, isLocalAddress } from './admin-request.js';
import type { OwnerSessions } from './admin-session.js';
import type { AdminEnv, AdminRouter, AdminShell } from './admin-shell.js';
import { onboardedSettings, onboardingValues, parseOnboarding } from './onboarding-form.js';
import { printerStep, shopStep } from './onboarding-pages.js';
import { hashPassword, type ScryptCost } from './owner-password.js';
import { describePrinter, parsePrinterForm } from './printer-choice.js';

/** What onboarding reads and writes. */
export interface OnboardingDeps {
  readonly owners: OwnerAccounts;
  /** The scrypt cost of the password set in step 1. */
  readonly passwordCost: ScryptCost;
  readonly sessions: OwnerSessions;
  readonly csrf: AdminCsrf;
  readonly shop: Pick<ShopService, 'settings'>;
  /** Writes the given settings sections in one transaction and refreshes the shop. */
  readonly saveSettings: (changes: Partial<ShopSettings>) => void;
  readonly printer: AdminPrinter;
  /** Saves a pasted Cloudflare tunnel token and its public address (optional last step). */
  readonly savePublicAddress: (input: PublicAddressInput) => { publicUrl: string };
  readonly clock: Clock;
  readonly log: Logger;
}

type C = Context<AdminEnv>;

/**
 * First boot: `/admin/onboarding` (password when none is set, the shop, tax, hours), then
 * `/admin/onboarding/printer` (printer choice and test ticket), then the dashboard. Once finished both
 * refuse: GET goes to the dashboard, POST gets 409. Without a password (a fresh device, or after a reset),
 * only a browser on the shop's own network may set one; with one (ADMIN_PASSWORD, or step 1 done) the
 * pages need the owner's session.
 */
export function mountOnboarding(router: AdminRouter, shell: AdminShell, deps: OnboardingDeps): void {
  const { owners } = deps;
  const timezones = Intl.supportedValuesOf('timeZone');

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

  const shopPage = (c: C, errors: readonly string[], values = onboardingValues(deps.shop.settings())) => {
    const first = askPassword();
    const csrf = first ? deps.csrf.forBrowser(c) : c.get('csrf');
    return shell.render(c, {
      title: 'Welcome to counterpi',
      body: shopStep({ values, errors, askPassword: first, csrf, timezones }),
      status: errors.length === 0 ? 200 : 400,
    });
  };

  router.get('/onboarding', gate(false), (c) => shopPage(c, []));
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
    return c.redirect('/admin/onboarding/printer', 303);
  });

  const printerPage = (c: C, errors: readonly string[]) =>
    shell.render(c, {
      title: 'The kitchen printer',
      body: printerStep({
        current: deps.printer.current(),
        paperWidthMm: deps.shop.settings().printer.paperWidthMm,
        errors,
        csrf: c.get('csrf'),
      }),
      status: errors.length === 0 ? 200 : 400,
    });

  router.get('/onboarding/printer', gate(true), (c) => printerPage(c, []));
  router.post('/onboarding/printer', gate(true), async (c) => {
    const form = await readFormBody(c);
    const parsed = parsePrinterForm(form);
    if (!parsed.ok) return printerPage(c, parsed.errors);
    deps.printer.choose(parsed.value);
    const paperWidthMm = form.paper === '58' ? 58 : 80;
    deps.saveSettings({ printer: { ...deps.shop.settings().printer, paperWidthMm } });
    shell.ownerAction('printer.choose', undefined, { input: { printer: describePrinter(parsed.value) } });
    if (form.action === 'test') {
      const result = await deps.printer.test();
      shell.ownerAction('printer.test', undefined, { outcome: result.ok ? 'ok' : 'printer_offline' });
      shell.flash(
        c,
        result.ok ? 'ok' : 'error',
        result.ok
          ? `Test ticket sent to ${describePrinter(parsed.value)}. Did it come out?`
          : `The test ticket did not print: ${result.detail}`,
      );
      return c.redirect('/admin/onboarding/printer', 303);
    }
    // The public address is optional here; given, it must be right before onboarding ends.
    const tunnelToken = typeof form.tunnel_token === 'string' ? form.tunnel_token.trim() : '';
    const publicUrl = typeof form.public_url === 'string' ? form.public_url.trim() : '';
    let addressSaved: string | undefined;
    if (tunnelToken !== '' || publicUrl !== '') {
      const problems = publicAddressProblems({ tunnelToken, publicUrl });
      if (problems.length > 0)
        return printerPage(
          c,
          problems.map((p) => p.message),
        );
      addressSaved = deps.savePublicAddress({ tunnelToken, publicUrl }).publicUrl;
      shell.ownerAction('public-address.save', addressSaved);
    }
    owners.markOnboarded(deps.clock.now().getTime());
    shell.ownerAction('onboarding.finish');
    shell.flash(
      c,
      'ok',
      addressSaved === undefined
        ? 'counterpi is set up. Orders appear here as they come in. Next: the Connect page, for the public address and the assistants.'
        : `counterpi is set up. Orders appear here as they come in. The public address ${addressSaved} applies once the tunnel and counterpi restart (by themselves on the Pi).`,
    );
    return c.redirect('/admin', 303);
  });
}
