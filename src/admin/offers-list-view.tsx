import type { Child, FC } from 'hono/jsx';
import { formatMoney } from '../domain/money.js';
import type { OfferListing, OfferStatus } from '../services/offers/offer-admin.js';
import { ActionButton } from './form-fields.js';
import { guideLink } from './guide-link.js';

/** How the offers page writes amounts, and the menu's names for what offers reach. */
export interface ListShop {
  readonly currency: string;
  readonly locale: string;
  readonly describe: (listing: OfferListing) => string;
}

const STATUS_WORDS: Record<OfferStatus, string> = {
  active: 'active now',
  scheduled: 'scheduled',
  paused: 'paused',
  expired: 'expired',
};

const Status: FC<{ status: OfferStatus }> = ({ status }) => (
  <span class={`badge ${status === 'active' ? 'ok' : status === 'scheduled' ? '' : 'bad'}`}>
    {STATUS_WORDS[status]}
  </span>
);

const Row: FC<{ o: OfferListing; shop: ListShop; csrf: string }> = ({ o, shop, csrf }) => {
  const m = (amount: number) => formatMoney(amount, shop.currency, shop.locale);
  const id = o.stored.offer.id;
  return (
    <li id={`offer-${id}`} class="row">
      <span class="main">
        <a href={`/admin/offers/${id}`}>{o.stored.offer.name}</a> <Status status={o.status} />
        <br />
        <small class="hint">{shop.describe(o)}</small>
        <br />
        <small class="takings">
          {o.takings.uses} {o.takings.uses === 1 ? 'use' : 'uses'} · {m(o.takings.discount)} off ·{' '}
          {m(o.takings.revenue)} revenue
        </small>
      </span>
      <ActionButton
        action={`/admin/offers/${id}/pause`}
        csrf={csrf}
        label={o.paused ? 'Resume' : 'Pause'}
        kind={o.paused ? 'primary' : 'secondary'}
        fields={{ paused: o.paused ? 'no' : 'yes' }}
      />
    </li>
  );
};

/** The page's sections: which offers each lists, and the kinds of offer its buttons add. */
const SECTIONS = [
  { title: 'Meal deals', id: 'meal-deals', kind: 'meal_deal', adds: [['meal_deal', 'Add a meal deal']] },
  { title: 'Promo codes', id: 'promo-codes', kind: 'promo_code', adds: [['promo_code', 'Add a promo code']] },
  {
    title: 'Automatic offers',
    id: 'automatic',
    kind: 'automatic',
    adds: [
      ['happy_hour', 'Add a happy hour'],
      ['nth_unit', 'Add “second one at X % off”'],
    ],
  },
] as const;

const Section: FC<{
  section: (typeof SECTIONS)[number];
  rows: OfferListing[];
  shop: ListShop;
  csrf: string;
}> = ({ section, rows, shop, csrf }) => (
  <section class="card" id={section.id}>
    <h2>{section.title}</h2>
    {rows.length === 0 ? (
      <p class="hint">None yet.</p>
    ) : (
      <ul class="rows">
        {rows.map((o) => (
          <Row o={o} shop={shop} csrf={csrf} />
        ))}
      </ul>
    )}
    <p>
      {section.adds.map(([kind, label], at) => (
        <>
          {at > 0 ? ' ' : ''}
          <a class="button" href={`/admin/offers/new/${kind}`}>
            {label}
          </a>
        </>
      ))}
    </p>
  </section>
);

/** The offers page: meal deals, promo codes and automatic offers with their status and takings. */
export function offersListBody(listings: readonly OfferListing[], shop: ListShop, csrf: string): Child {
  return (
    <>
      <p class="hint intro">
        Your offers, as assistants show and apply them. Uses count paid orders (refunds left out); revenue is
        what those orders paid. {guideLink('offers')}
      </p>
      {SECTIONS.map((section) => (
        <Section
          section={section}
          rows={listings.filter((o) => o.stored.kind === section.kind)}
          shop={shop}
          csrf={csrf}
        />
      ))}
      <section class="card" id="stamp-card">
        <h2>Stamp card</h2>
        <p>
          <a href="/admin/offers/stamp-card">Set up the stamp card</a>
        </p>
      </section>
    </>
  );
}
