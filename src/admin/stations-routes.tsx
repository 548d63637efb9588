import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { isAppError } from '../domain/app-error.js';
import type { MenuIndex } from '../domain/menu-index.js';
import type { StationInput, Stations } from '../services/kitchen/stations.js';
import type { AdminEnv, AdminModule, AdminShell } from './admin-shell.js';
import { type PostedForm, readForm } from './form-read.js';
import { describePrinter, parsePrinterForm, printerChoiceJson } from './printer-choice.js';
import { type StationsPageState, stationsBody } from './stations-view.js';

export interface StationsPageDeps {
  readonly stations: Stations;
  readonly menu: () => MenuIndex;
  /** The kitchen screen's section, below the stations. */
  readonly screen?: (csrf: string) => Child;
}

/** The station as the owner sent it, or the first problem in their words. */
function stationInput(
  form: PostedForm,
): { ok: true; value: StationInput; printerWords: string } | { ok: false; error: string } {
  const kind = form.text('kind');
  let printer: string | undefined;
  let printerWords = 'none';
  if (kind !== 'none' && kind !== '') {
    const parsed = parsePrinterForm(form.fields());
    if (!parsed.ok) return { ok: false, error: parsed.errors.join(' ') };
    printer = printerChoiceJson(parsed.value);
    printerWords = describePrinter(parsed.value);
  }
  return {
    ok: true,
    printerWords,
    value: {
      name: form.text('name'),
      printer,
      isDefault: form.checked('default'),
      categories: form.all('categories'),
      items: form.all('items'),
    },
  };
}

/** What the audit row keeps of a station: its name, printer and routes, in the owner's words. */
function audited(input: StationInput, printer: string) {
  return {
    name: input.name,
    printer,
    categories: input.categories,
    items: input.items,
    default: input.isDefault,
  };
}

/** The kitchen stations page: add, change and remove stations, and route menu categories and items to them. */
export function stationsModule(deps: StationsPageDeps): AdminModule {
  return {
    nav: { id: 'stations', label: 'Stations', path: '/admin/stations' },
    mount(router, shell) {
      const page = (c: Context<AdminEnv>, refused?: StationsPageState['refused']) =>
        shell.render(c, {
          title: 'Kitchen stations',
          nav: 'stations',
          body: (
            <>
              {stationsBody({
                stations: deps.stations.list(),
                menu: deps.menu(),
                csrf: c.get('csrf'),
                refused,
              })}
              {deps.screen?.(c.get('csrf'))}
            </>
          ),
          status: refused === undefined ? 200 : 422,
        });
      router.get('/stations', (c) => page(c));
      router.post('/stations', (c) => save(c, deps, shell, page, undefined));
      router.post('/stations/:id', (c) => save(c, deps, shell, page, Number(c.req.param('id'))));
      router.post('/stations/:id/remove', (c) => {
        const id = Number(c.req.param('id'));
        const station = deps.stations.list().find((s) => s.id === id);
        if (station === undefined || !deps.stations.remove(id)) {
          shell.flash(c, 'error', 'That station does not exist any more.');
          return c.redirect('/admin/stations', 303);
        }
        shell.ownerAction('station.remove', String(id), { input: { name: station.name } });
        shell.flash(c, 'ok', `${station.name} is removed; its items go to the default station from now on.`);
        return c.redirect('/admin/stations', 303);
      });
    },
  };
}

type Page = (c: Context<AdminEnv>, refused?: StationsPageState['refused']) => Promise<Response>;

async function save(
  c: Context<AdminEnv>,
  deps: StationsPageDeps,
  shell: AdminShell,
  page: Page,
  id: number | undefined,
): Promise<Response> {
  const form = await readForm(c);
  const key = id === undefined ? 'new' : String(id);
  const input = stationInput(form);
  if (!input.ok) return page(c, { form: key, error: input.error });
  let saved: number;
  try {
    saved = deps.stations.save(input.value, id);
  } catch (error) {
    if (!isAppError(error, 'invalid_input')) throw error;
    return page(c, { form: key, error: error.message });
  }
  shell.ownerAction(id === undefined ? 'station.add' : 'station.change', String(saved), {
    input: audited(input.value, input.printerWords),
  });
  shell.flash(c, 'ok', `${input.value.name.trim()} is saved: paid orders print its items there from now on.`);
  return c.redirect(`/admin/stations#station-${saved}`, 303);
}
