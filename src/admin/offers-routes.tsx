import type { Context } from 'hono';
import type { AdminEnv, AdminModule, AdminRouter, AdminShell } from './admin-shell.js';
import type { FieldErrors } from './form-fields.js';
import { readForm } from './form-read.js';
import { codeError, mountBatchCsv, mountCodes } from './offers-codes-routes.js';
import { offerCodesBody } from './offers-codes-view.js';
import { type DescribeShop, describeOffer } from './offers-describe.js';
import {
  blankOfferValues,
  OFFER_KINDS,
  type OfferFormValues,
  type OfferKind,
  offerFormValues,
  postedOfferValues,
  SLOT_ROWS,
} from './offers-form.js';
import { keepUnshown, parseOfferForm } from './offers-form-parse.js';
import { offerFormBody } from './offers-form-view.js';
import { offersListBody } from './offers-list-view.js';
import { notFound, type OffersPageDeps } from './offers-page.js';
import { mountStampCard } from './offers-stamp-routes.js';

/** The offers pages: the list with status and takings, a form per kind, codes and batches, the stamp card. */
export function offersModule(deps: OffersPageDeps): AdminModule {
  return {
    nav: { id: 'offers', label: 'Offers', path: '/admin/offers' },
    mount(router, shell) {
      router.get('/offers', (c) => {
        const shop = describeShop(deps);
        const body = offersListBody(
          deps.admin.list(),
          { ...shop, describe: (o) => describeOffer(o.stored, shop) },
          c.get('csrf'),
        );
        return shell.render(c, { title: 'Offers', nav: 'offers', body });
      });
      mountStampCard(router, shell, deps);
      mountBatchCsv(router, shell, deps);
      mountForms(router, shell, deps);
      mountCodes(router, shell, deps);
      router.post('/offers/:id/pause', async (c) => {
        const id = c.req.param('id');
        const paused = (await readForm(c)).text('paused') === 'yes';
        if (!deps.admin.setPaused(id, paused)) return notFound(shell, c);
        shell.ownerAction(paused ? 'offers.pause' : 'offers.resume', id);
        const name = deps.admin.get(id)?.stored.offer.name ?? id;
        shell.flash(
          c,
          'ok',
          paused ? `${name} is paused: no order gets it until you resume it.` : `${name} is back on.`,
        );
        return c.redirect(`/admin/offers#offer-${id}`, 303);
      });
    },
  };
}

function describeShop(deps: OffersPageDeps): DescribeShop {
  const menu = deps.menu();
  const { currency, locale } = deps.settings().profile;
  return {
    index: {
      items: new Map(menu.items.map((i) => [i.id, i])),
      categories: new Map(menu.categories.map((cat) => [cat.id, cat])),
    },
    currency,
    locale,
  };
}

/** A readable id for a new offer ("lunch-deal"): a meal deal is ordered by it, so it never equals an item's. */
function newOfferId(name: string, deps: OffersPageDeps): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'offer';
  const items = new Set(deps.menu().items.map((i) => i.id));
  for (let n = 1; ; n += 1) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!items.has(id) && deps.admin.idFree(id)) return id;
  }
}

/** What the create and edit pages share: the form page, and how the shop reads and writes dates and money. */
function formTools(shell: AdminShell, deps: OffersPageDeps) {
  const page = (
    c: Context<AdminEnv>,
    action: string,
    values: OfferFormValues,
    errors: FieldErrors = {},
    extra?: unknown,
  ) => {
    const menu = deps.menu();
    const isNew = action.includes('/new/');
    return shell.render(c, {
      title: isNew ? `Add an offer` : values.name,
      nav: 'offers',
      body: (
        <>
          {offerFormBody({
            action,
            values,
            errors,
            choices: { categories: menu.categories, items: menu.items },
            currency: deps.settings().profile.currency,
            csrf: c.get('csrf'),
            isNew,
          })}
          {extra}
        </>
      ),
      status: Object.keys(errors).length === 0 ? 200 : 422,
    });
  };
  const parseShop = () => {
    const menu = deps.menu();
    const calendar = deps.calendar();
    return {
      currency: deps.settings().profile.currency,
      itemIds: new Set(menu.items.map((i) => i.id)),
      categoryIds: new Set(menu.categories.map((cat) => cat.id)),
      midnight: (date: string) => calendar.toInstant(date, 0),
    };
  };
  const formShop = () => {
    const calendar = deps.calendar();
    return {
      currency: deps.settings().profile.currency,
      localDate: (at: Date) => calendar.localParts(at).date,
    };
  };
  const codesOf = (c: Context<AdminEnv>, id: string) =>
    offerCodesBody({
      offerId: id,
      codes: deps.admin.codesOf(id),
      batches: deps.admin.batchesOf(id),
      formatTime: deps.formatTime,
      batchValues: { count: '', prefix: '' },
      codeValue: '',
      errors: {},
      csrf: c.get('csrf'),
    });
  return { page, parseShop, formShop, codesOf };
}

type FormTools = ReturnType<typeof formTools>;

function mountForms(router: AdminRouter, shell: AdminShell, deps: OffersPageDeps): void {
  const tools = formTools(shell, deps);
  mountCreate(router, shell, deps, tools);
  mountEdit(router, shell, deps, tools);
}

const kindOf = (text: string): OfferKind | undefined => OFFER_KINDS.find((k) => k === text);

function mountCreate(router: AdminRouter, shell: AdminShell, deps: OffersPageDeps, tools: FormTools): void {
  const { page, parseShop } = tools;
  router.get('/offers/new/:kind', (c) => {
    const kind = kindOf(c.req.param('kind'));
    return kind === undefined
      ? notFound(shell, c)
      : page(c, `/admin/offers/new/${kind}`, blankOfferValues(kind));
  });
  router.post('/offers/new/:kind', async (c) => {
    const kind = kindOf(c.req.param('kind'));
    if (kind === undefined) return notFound(shell, c);
    const values = postedOfferValues(await readForm(c), kind);
    const id = newOfferId(values.name, deps);
    const parsed = parseOfferForm(values, id, parseShop());
    const codeProblem =
      kind === 'promo_code' && values.code !== '' ? codeError(values.code, deps) : undefined;
    if (!parsed.ok || codeProblem !== undefined) {
      return page(c, `/admin/offers/new/${kind}`, values, {
        ...(parsed.ok ? {} : parsed.errors),
        ...(codeProblem === undefined ? {} : { code: codeProblem }),
      });
    }
    deps.admin.save(parsed.stored, true);
    if (kind === 'promo_code' && values.code !== '') deps.admin.addCode(id, values.code);
    shell.ownerAction('offers.create', id, {
      input: { kind, name: values.name, code: values.code || undefined },
    });
    shell.flash(c, 'ok', `${values.name} is saved and on.`);
    return c.redirect(kind === 'promo_code' ? `/admin/offers/${id}#codes` : `/admin/offers#offer-${id}`, 303);
  });
}

function mountEdit(router: AdminRouter, shell: AdminShell, deps: OffersPageDeps, tools: FormTools): void {
  const { page, parseShop, formShop, codesOf } = tools;
  router.get('/offers/:id', (c) => {
    const found = deps.admin.get(c.req.param('id'));
    if (found === undefined) return notFound(shell, c);
    const id = found.stored.offer.id;
    const extra = found.stored.kind === 'promo_code' ? codesOf(c, id) : undefined;
    return page(c, `/admin/offers/${id}`, offerFormValues(found.stored, formShop()), {}, extra);
  });
  router.post('/offers/:id', async (c) => {
    const found = deps.admin.get(c.req.param('id'));
    if (found === undefined) return notFound(shell, c);
    const id = found.stored.offer.id;
    const kind = found.stored.kind === 'automatic' ? found.stored.offer.kind : found.stored.kind;
    const values = postedOfferValues(await readForm(c), kind);
    const parsed = parseOfferForm(values, id, parseShop());
    if (!parsed.ok) return page(c, `/admin/offers/${id}`, values, parsed.errors);
    deps.admin.save(keepUnshown(found.stored, parsed.stored, SLOT_ROWS), false);
    shell.ownerAction('offers.update', id, { input: { kind, name: values.name } });
    shell.flash(c, 'ok', `${values.name} is saved.`);
    return c.redirect(`/admin/offers#offer-${id}`, 303);
  });
}
