import type { Context } from 'hono';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AdminPrinter } from './admin-ports.js';
import type { AdminEnv, AdminModule, AdminShell } from './admin-shell.js';
import { readForm } from './form-read.js';
import { type OwnerStatusInput, signalsWords } from './owner-status.js';
import { describePrinter } from './printer-choice.js';
import { type EditableSection, type SectionSchemas, sectionProblems } from './settings-form.js';
import type { SectionEdit } from './settings-section-view.js';
import { SECTION_FORMS } from './settings-sections.js';
import { settingsBody } from './settings-view.js';

export interface SettingsPageDeps {
  readonly shop: Pick<ShopService, 'settings'>;
  /** Writes the given sections in one transaction and refreshes the shop (mount-admin.ts `saveSettings`). */
  readonly save: (changes: Partial<ShopSettings>) => void;
  /** src/store/settings-schema.ts `settingsSections`: the one schema the forms are checked with. */
  readonly schemas: SectionSchemas;
  readonly printer: Pick<AdminPrinter, 'current' | 'test'>;
  /** The LED, buzzer, button and switch (src/services/kitchen/kitchen-signals.ts). */
  readonly signals: {
    status(): OwnerStatusInput['signals'];
    test(): { readonly ok: boolean; readonly detail: string };
  };
}

const TITLES: Readonly<Record<EditableSection, string>> = {
  hours: 'Opening hours',
  pickup: 'Pickup',
  delivery: 'Delivery',
  tax: 'Tax',
  fees: 'Fees and tips',
  printer: 'Printer',
  gpio: 'GPIO pins',
  email: 'Email to customers',
};

/** The settings page: the pause switch, hours and exceptions, pickup, delivery, tax, fees, printer and GPIO. */
export function settingsModule(deps: SettingsPageDeps): AdminModule {
  const page = (c: Context<AdminEnv>, shell: AdminShell, edit?: SectionEdit) =>
    shell.render(c, {
      title: 'Settings',
      nav: 'settings',
      body: settingsBody({
        settings: deps.shop.settings(),
        edit,
        printer: describePrinter(deps.printer.current()),
        gpio: signalsWords(deps.signals.status()).text,
        csrf: c.get('csrf'),
      }),
      status: edit === undefined ? 200 : 422,
    });

  return {
    nav: { id: 'settings', label: 'Settings', path: '/admin/settings' },
    mount(router, shell) {
      router.get('/settings', (c) => page(c, shell));

      router.post('/settings/pause', async (c) => {
        const form = await readForm(c);
        const paused = form.text('paused') === 'yes';
        deps.save({ pausedByOwner: paused });
        shell.ownerAction(paused ? 'ordering.pause' : 'ordering.resume');
        shell.flash(c, 'ok', paused ? 'Ordering is paused.' : 'Ordering is on again during opening hours.');
        // The dashboard's button comes back to the dashboard; the switch is the same one.
        return c.redirect(form.text('back') === 'dashboard' ? '/admin' : '/admin/settings#ordering', 303);
      });

      router.post('/settings/printer/test', async (c) => {
        const result = await deps.printer.test();
        shell.ownerAction('printer.test', undefined, { outcome: result.ok ? 'ok' : 'printer_offline' });
        shell.flash(c, result.ok ? 'ok' : 'error', `Test ticket: ${result.detail}`);
        return c.redirect('/admin/settings#printer', 303);
      });

      router.post('/settings/gpio/test', (c) => {
        const result = deps.signals.test();
        shell.ownerAction('gpio.test', undefined, { outcome: result.ok ? 'ok' : 'gpio_failed' });
        shell.flash(
          c,
          result.ok ? 'ok' : 'error',
          result.ok
            ? `The LED lights for two seconds and the buzzer beeps: ${result.detail}.`
            : `GPIO: ${result.detail}`,
        );
        return c.redirect('/admin/settings#gpio', 303);
      });

      for (const section of Object.keys(SECTION_FORMS) as EditableSection[]) {
        router.post(`/settings/${section}`, async (c) => {
          const values = (await readForm(c)).fields();
          const errors = save(deps, section, values);
          if (errors !== undefined) return page(c, shell, { section, values, errors });
          shell.ownerAction(`settings.${section}`, undefined, { input: deps.shop.settings()[section] });
          shell.flash(c, 'ok', `${TITLES[section]} saved.`);
          return c.redirect(`/admin/settings#${section}`, 303);
        });
      }
    },
  };
}

/** Builds, checks and saves one section; returns the problems instead when there are any. */
function save<K extends EditableSection>(
  deps: SettingsPageDeps,
  section: K,
  values: Record<string, string>,
): Readonly<Record<string, string>> | undefined {
  const form = SECTION_FORMS[section];
  const built = form.build(values, deps.shop.settings());
  const errors = sectionProblems(deps.schemas[section], values, built);
  if (Object.keys(errors).length > 0) return errors;
  deps.save({ [section]: built.value });
  return undefined;
}
