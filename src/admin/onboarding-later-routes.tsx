import type { Context, MiddlewareHandler } from 'hono';
import { publicAddressProblems } from '../services/operations/public-address.js';
import { isDemoShop, startingMenu } from '../services/shop/starting-menu.js';
import type { AdminEnv, AdminRouter, AdminShell } from './admin-shell.js';
import { readForm } from './form-read.js';
import { importedCounts, runMenuImport } from './menu-import-run.js';
import type { RefusedImport } from './menu-import-view.js';
import type { OnboardingDeps } from './onboarding-deps.js';
import { addressStep, type MenuStart, menuStep, printerStep } from './onboarding-later-pages.js';
import type { OnboardingProgress } from './onboarding-progress.js';
import { STEP_PATHS } from './onboarding-progress.js';
import { describePrinter, parsePrinterForm } from './printer-choice.js';

type C = Context<AdminEnv>;

/** What steps 2 to 4 need besides onboarding's own deps: the session gate and the step this browser reached. */
interface LaterStepsDeps extends OnboardingDeps {
  readonly gate: MiddlewareHandler<AdminEnv>;
  readonly progress: OnboardingProgress;
}

/** Steps 2 to 4: the menu, the printer, the public address; the last one finishes onboarding. */
export function mountLaterSteps(router: AdminRouter, shell: AdminShell, deps: LaterStepsDeps): void {
  mountMenuStep(router, shell, deps);
  mountPrinterStep(router, shell, deps);
  mountAddressStep(router, shell, deps);
}

function mountMenuStep(router: AdminRouter, shell: AdminShell, deps: LaterStepsDeps): void {
  const page = (c: C, p: { choice?: MenuStart; refused?: RefusedImport; errors?: readonly string[] }) => {
    const failed = p.refused !== undefined || (p.errors ?? []).length > 0;
    return shell.render(c, {
      title: 'Your menu',
      body: menuStep({
        itemCount: deps.catalog.loadMenu().items.length,
        choice: p.choice ?? (isDemoShop(deps.shop.settings().profile.name) ? 'demo' : 'empty'),
        refused: p.refused,
        errors: p.errors ?? [],
        csrf: c.get('csrf'),
      }),
      status: p.refused !== undefined ? 422 : failed ? 400 : 200,
    });
  };
  const next = (c: C) => {
    deps.progress.reach(c, 'printer');
    return c.redirect(STEP_PATHS.printer, 303);
  };
  router.get('/onboarding/menu', deps.gate, async (c) => page(c, {}));
  router.post('/onboarding/menu', deps.gate, async (c) => {
    const form = await readForm(c);
    const start = form.text('start');
    if (start === 'demo' || start === 'empty') {
      deps.catalog.replaceMenu(startingMenu(start));
      shell.ownerAction('onboarding.menu', undefined, { input: { start } });
      shell.flash(c, 'ok', start === 'demo' ? 'The menu is the demo burger bar’s.' : 'The menu is empty.');
      return next(c);
    }
    if (start !== 'file') return page(c, { errors: ['Choose how to start the menu.'] });
    const file = await form.file('file');
    if (file === undefined) return page(c, { choice: 'file', errors: ['Choose the menu file to import.'] });
    const fileName = form.fileName('file');
    const outcome = runMenuImport(deps.menuImporter, file, fileName);
    if (!outcome.ok) {
      shell.ownerAction('menu.import', undefined, { outcome: outcome.code, input: { file: fileName } });
      return page(c, { choice: 'file', refused: outcome.refused });
    }
    shell.ownerAction('menu.import', undefined, { input: { file: fileName, ...outcome.counts } });
    shell.flash(c, 'ok', `The menu is imported: ${importedCounts(outcome.counts)}.`);
    return next(c);
  });
}

function mountPrinterStep(router: AdminRouter, shell: AdminShell, deps: LaterStepsDeps): void {
  const page = (c: C, errors: readonly string[]) =>
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
  router.get('/onboarding/printer', deps.gate, (c) => page(c, []));
  router.post('/onboarding/printer', deps.gate, async (c) => {
    const form = await readForm(c);
    const parsed = parsePrinterForm(form.fields());
    if (!parsed.ok) return page(c, parsed.errors);
    deps.printer.choose(parsed.value);
    const paperWidthMm = form.text('paper') === '58' ? 58 : 80;
    deps.saveSettings({ printer: { ...deps.shop.settings().printer, paperWidthMm } });
    shell.ownerAction('printer.choose', undefined, { input: { printer: describePrinter(parsed.value) } });
    if (form.text('action') === 'test') {
      const result = await deps.printer.test();
      shell.ownerAction('printer.test', undefined, { outcome: result.ok ? 'ok' : 'printer_offline' });
      shell.flash(
        c,
        result.ok ? 'ok' : 'error',
        !result.ok
          ? `The test ticket did not print: ${result.detail}`
          : parsed.value.kind === 'sim'
            ? 'No printer yet: the test ticket was saved as a file on this device.'
            : `Test ticket sent to ${describePrinter(parsed.value)}. Did it come out?`,
      );
      return c.redirect(STEP_PATHS.printer, 303);
    }
    deps.progress.reach(c, 'address');
    return c.redirect(STEP_PATHS.address, 303);
  });
}

function mountAddressStep(router: AdminRouter, shell: AdminShell, deps: LaterStepsDeps): void {
  const port = new URL(deps.publicUrl).port || '8080';
  const page = (c: C, errors: readonly string[]) =>
    shell.render(c, {
      title: 'Reaching the assistants',
      body: addressStep({ errors, csrf: c.get('csrf'), port }),
      status: errors.length === 0 ? 200 : 400,
    });
  router.get('/onboarding/address', deps.gate, (c) => page(c, []));
  router.post('/onboarding/address', deps.gate, async (c) => {
    const form = await readForm(c);
    const tunnelToken = form.text('action') === 'skip' ? '' : form.text('tunnel_token');
    const publicUrl = form.text('action') === 'skip' ? '' : form.text('public_url');
    let saved: string | undefined;
    if (tunnelToken !== '' || publicUrl !== '') {
      const problems = publicAddressProblems({ tunnelToken, publicUrl });
      if (problems.length > 0)
        return page(
          c,
          problems.map((p) => p.message),
        );
      saved = deps.savePublicAddress({ tunnelToken, publicUrl }).publicUrl;
      shell.ownerAction('public-address.save', saved);
    }
    deps.owners.markOnboarded(deps.clock.now().getTime());
    deps.progress.finish(c);
    shell.ownerAction('onboarding.finish');
    shell.flash(
      c,
      'ok',
      saved === undefined
        ? 'counterpi is set up. Orders appear here as they come in. Next: the Connect page, for the public address and the assistants.'
        : `counterpi is set up. Orders appear here as they come in. The public address ${saved} applies once the tunnel and counterpi restart (by themselves on the Pi).`,
    );
    return c.redirect('/admin', 303);
  });
}
