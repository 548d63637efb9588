import type { Context } from 'hono';
import type { Menu } from '../domain/catalog.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { Clock } from '../platform/clock.js';
import type { MenuFileFormat, MenuImporter } from '../services/menu/menu-import.js';
import { messagePage } from './admin-layout.js';
import type { AdminEnv, AdminModule, AdminRouter, AdminShell } from './admin-shell.js';
import { readForm } from './form-read.js';
import { groupFormBody, itemFormBody } from './menu-edit-view.js';
import { applyGroupForm, groupFormValues, postedGroupValues } from './menu-group-edit.js';
import { importedCounts, runMenuImport } from './menu-import-run.js';
import { importBody } from './menu-import-view.js';
import { applyItemForm, type ItemFormValues, itemFormValues, postedItemValues } from './menu-item-edit.js';
import { menuListBody } from './menu-list-view.js';

/** The catalog as the menu pages change it (src/store/catalog-repo.ts; its writes move the menu caches on). */
export interface MenuCatalog {
  loadMenu(): Menu;
  replaceMenu(menu: Menu): void;
  setItemSoldOut(itemId: string, soldOut: boolean): boolean;
  setOptionSoldOut(optionId: string, soldOut: boolean): boolean;
}

export interface MenuPageDeps {
  readonly catalog: MenuCatalog;
  readonly importer: MenuImporter;
  readonly settings: () => ShopSettings;
  readonly clock: Clock;
}

/** Where a sold-out switch may send the owner back to: a menu page, maybe at an anchor. */
const BACK = /^\/admin\/menu(?:\/(?:items|groups)\/[a-z0-9_-]+)?(?:#[a-z0-9_-]+)?$/;

/** The menu pages: the list with sold-out switches, item and option group forms, import and export. */
export function menuModule(deps: MenuPageDeps): AdminModule {
  const shopOf = () => {
    const s = deps.settings();
    return {
      currency: s.profile.currency,
      locale: s.profile.locale,
      taxRateIds: s.tax.rates.map((rate) => rate.id),
    };
  };
  return {
    nav: { id: 'menu', label: 'Menu', path: '/admin/menu' },
    mount(router, shell) {
      router.get('/menu', (c) =>
        shell.render(c, {
          title: 'Menu',
          nav: 'menu',
          body: menuListBody(deps.catalog.loadMenu(), shopOf(), c.get('csrf')),
        }),
      );
      mountItemPages(router, shell, deps, shopOf);
      mountGroupPages(router, shell, deps, shopOf);
      mountSoldOut(router, shell, deps);
      mountImportExport(router, shell, deps);
    },
  };
}

type ShopOf = () => { currency: string; locale: string; taxRateIds: string[] };

function notFound(shell: AdminShell, c: Context<AdminEnv>, what: string): Promise<Response> {
  return shell.render(c, {
    title: 'Not found',
    nav: 'menu',
    body: messagePage(`There is no ${what} on the menu (any more).`, {
      href: '/admin/menu',
      label: 'Back to the menu',
    }),
    status: 404,
  });
}

function mountItemPages(router: AdminRouter, shell: AdminShell, deps: MenuPageDeps, shopOf: ShopOf): void {
  const page = (c: Context<AdminEnv>, itemId: string | undefined, values: ItemFormValues, errors = {}) => {
    const menu = deps.catalog.loadMenu();
    return shell.render(c, {
      title: itemId === undefined ? 'Add an item' : values.name || itemId,
      nav: 'menu',
      body: itemFormBody({ itemId, values, errors, menu, price: shopOf(), csrf: c.get('csrf') }),
      status: Object.keys(errors).length === 0 ? 200 : 422,
    });
  };
  const save = async (c: Context<AdminEnv>, itemId: string | undefined) => {
    const values = postedItemValues(await readForm(c));
    const edit = applyItemForm(deps.catalog.loadMenu(), itemId, values, shopOf());
    if (!edit.ok) return page(c, itemId, values, edit.errors);
    deps.catalog.replaceMenu(edit.menu);
    shell.ownerAction(itemId === undefined ? 'menu.item.create' : 'menu.item.update', edit.value.id, {
      input: { name: edit.value.name, price: edit.value.price, soldOut: edit.value.soldOut },
    });
    shell.flash(c, 'ok', `${edit.value.name} is saved.`);
    return c.redirect(`/admin/menu#item-${edit.value.id}`, 303);
  };
  const itemOf = (id: string) => deps.catalog.loadMenu().items.find((item) => item.id === id);

  router.get('/menu/new-item', (c) =>
    page(c, undefined, itemFormValues(undefined, deps.catalog.loadMenu(), shopOf().currency)),
  );
  router.post('/menu/new-item', (c) => save(c, undefined));
  router.get('/menu/items/:id', (c) => {
    const item = itemOf(c.req.param('id'));
    if (item === undefined) return notFound(shell, c, 'such item');
    return page(c, item.id, itemFormValues(item, deps.catalog.loadMenu(), shopOf().currency));
  });
  router.post('/menu/items/:id', (c) =>
    itemOf(c.req.param('id')) === undefined ? notFound(shell, c, 'such item') : save(c, c.req.param('id')),
  );
}

function mountGroupPages(router: AdminRouter, shell: AdminShell, deps: MenuPageDeps, shopOf: ShopOf): void {
  const groupOf = (menu: Menu, id: string) => menu.modifierGroups.find((g) => g.id === id);
  const usedBy = (menu: Menu, id: string) =>
    menu.items.filter((item) => item.modifierGroupIds.includes(id)).map((item) => item.name);

  router.get('/menu/groups/:id', (c) => {
    const menu = deps.catalog.loadMenu();
    const group = groupOf(menu, c.req.param('id'));
    if (group === undefined) return notFound(shell, c, 'such option group');
    const { currency } = shopOf();
    return shell.render(c, {
      title: group.name,
      nav: 'menu',
      body: groupFormBody({
        group,
        values: groupFormValues(group, currency),
        errors: {},
        usedBy: usedBy(menu, group.id),
        currency,
        csrf: c.get('csrf'),
      }),
    });
  });
  router.post('/menu/groups/:id', async (c) => {
    const menu = deps.catalog.loadMenu();
    const group = groupOf(menu, c.req.param('id'));
    if (group === undefined) return notFound(shell, c, 'such option group');
    const values = postedGroupValues(await readForm(c), group);
    const edit = applyGroupForm(menu, group, values, shopOf());
    if (!edit.ok) {
      const { currency } = shopOf();
      const body = groupFormBody({
        group,
        values,
        errors: edit.errors,
        usedBy: usedBy(menu, group.id),
        currency,
        csrf: c.get('csrf'),
      });
      return shell.render(c, { title: group.name, nav: 'menu', body, status: 422 });
    }
    deps.catalog.replaceMenu(edit.menu);
    shell.ownerAction('menu.group.update', group.id, {
      input: { name: edit.value.name, options: edit.value.options.map((o) => o.id) },
    });
    shell.flash(c, 'ok', `${edit.value.name} is saved.`);
    return c.redirect(`/admin/menu#group-${group.id}`, 303);
  });
}

function mountSoldOut(router: AdminRouter, shell: AdminShell, deps: MenuPageDeps): void {
  const toggle = (kind: 'item' | 'option') => async (c: Context<AdminEnv>) => {
    const form = await readForm(c);
    const id = c.req.param('id') ?? '';
    const soldOut = form.text('sold_out') === 'yes';
    const changed =
      kind === 'item' ? deps.catalog.setItemSoldOut(id, soldOut) : deps.catalog.setOptionSoldOut(id, soldOut);
    if (!changed) return notFound(shell, c, `such ${kind}`);
    shell.ownerAction(`menu.${kind}.${soldOut ? 'sold_out' : 'available'}`, id);
    const menu = deps.catalog.loadMenu();
    const name =
      kind === 'item'
        ? menu.items.find((item) => item.id === id)?.name
        : menu.modifierGroups.flatMap((g) => g.options).find((o) => o.id === id)?.name;
    shell.flash(
      c,
      'ok',
      `${name ?? id} is ${soldOut ? 'sold out: assistants tell customers so' : 'back on the menu'}.`,
    );
    const back = form.text('back');
    return c.redirect(BACK.test(back) ? back : '/admin/menu', 303);
  };
  router.post('/menu/items/:id/sold-out', toggle('item'));
  router.post('/menu/options/:id/sold-out', toggle('option'));
}

function mountImportExport(router: AdminRouter, shell: AdminShell, deps: MenuPageDeps): void {
  router.get('/menu/import', (c) =>
    shell.render(c, { title: 'Import a menu file', nav: 'menu', body: importBody({ csrf: c.get('csrf') }) }),
  );
  router.post('/menu/import', async (c) => {
    const form = await readForm(c);
    const file = await form.file('file');
    const fileName = form.fileName('file');
    if (file === undefined) {
      shell.flash(c, 'error', 'Choose a menu file first.');
      return c.redirect('/admin/menu/import', 303);
    }
    const outcome = runMenuImport(deps.importer, file, fileName);
    if (outcome.ok) {
      shell.ownerAction('menu.import', undefined, { input: { file: fileName, ...outcome.counts } });
      shell.flash(c, 'ok', `The menu is replaced: ${importedCounts(outcome.counts)}.`);
      return c.redirect('/admin/menu', 303);
    }
    shell.ownerAction('menu.import', undefined, { outcome: outcome.code, input: { file: fileName } });
    return shell.render(c, {
      title: 'Import a menu file',
      nav: 'menu',
      body: importBody({ csrf: c.get('csrf'), refused: outcome.refused }),
      status: 422,
    });
  });
  const download = (format: MenuFileFormat) => (c: Context<AdminEnv>) => {
    const date = deps.clock.now().toISOString().slice(0, 10);
    c.header(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    );
    c.header('Content-Disposition', `attachment; filename="menu-${date}.${format}"`);
    return c.body(deps.importer.exportMenu(format));
  };
  router.get('/menu/export.csv', download('csv'));
  router.get('/menu/export.json', download('json'));
}
