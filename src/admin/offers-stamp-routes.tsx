import type { AdminRouter, AdminShell } from './admin-shell.js';
import { readForm } from './form-read.js';
import type { OffersPageDeps } from './offers-page.js';
import { parseStampForm, postedStampValues, stampCardBody, stampFormValues } from './offers-stamp-card.js';

/** The stamp card's page: on or off, the minimum, how many stamps, the reward. */
export function mountStampCard(router: AdminRouter, shell: AdminShell, deps: OffersPageDeps): void {
  const currency = () => deps.settings().profile.currency;
  const items = () => deps.menu().items.map((i) => ({ id: i.id, name: i.name }));
  router.get('/offers/stamp-card', (c) =>
    shell.render(c, {
      title: 'Stamp card',
      nav: 'offers',
      body: stampCardBody({
        values: stampFormValues(deps.stampCard.card(), currency()),
        errors: {},
        items: items(),
        currency: currency(),
        csrf: c.get('csrf'),
      }),
    }),
  );
  router.post('/offers/stamp-card', async (c) => {
    const values = postedStampValues(await readForm(c));
    const parsed = parseStampForm(values, {
      currency: currency(),
      itemIds: new Set(items().map((i) => i.id)),
    });
    if (!parsed.ok) {
      return shell.render(c, {
        title: 'Stamp card',
        nav: 'offers',
        body: stampCardBody({
          values,
          errors: parsed.errors,
          items: items(),
          currency: currency(),
          csrf: c.get('csrf'),
        }),
        status: 422,
      });
    }
    deps.stampCard.saveCard(parsed.card);
    const { enabled, minimum, stamps, reward } = parsed.card;
    shell.ownerAction('offers.stamp_card.update', 'stamp-card', {
      input: { enabled, minimum, stamps, reward },
    });
    shell.flash(c, 'ok', enabled ? 'The stamp card is saved and on.' : 'The stamp card is saved and off.');
    return c.redirect('/admin/offers#stamp-card', 303);
  });
}
