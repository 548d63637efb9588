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

const Section: FC<{
  title: string;
  id: string;
  add: string;
  addLabel: string;
  rows: OfferListing[];
  shop: ListShop;
  csrf: string;
  children?: Child;
}> = (p) => (
  <section class="card" id={p.id}>
    <h2>{p.title}</h2>
    {p.rows.length === 0 ? (
      <p class="hint">None yet.</p>
    ) : (
      <ul class="rows">
        {p.rows.map((o) => (
          <Row o={o} shop={p.shop} csrf={p.csrf} />
        ))}
      </ul>
    )}
    <p>
      <a class="button" href={p.add}>
        {p.addLabel}
      </a>
      {p.children}
    </p>
  </section>
);

/** The offers page: meal deals, promo codes and automatic offers with their status and takings. */
export function offersListBody(listings: readonly OfferListing[], shop: ListShop, csrf: string): Child {
  const of = (test: (o: OfferListing) => boolean) => listings.filter(test);
  return (
    <>
      <p class="hint intro">
        Your offers, as assistants show and apply them. Uses count paid orders (refunds left out); revenue is
        what those orders paid. {guideLink('offers')}
      </p>
      <Section
        title="Meal deals"
        id="meal-deals"
        add="/admin/offers/new/meal_deal"
        addLabel="Add a meal deal"
        rows={of((o) => o.stored.kind === 'meal_deal')}
        shop={shop}
        csrf={csrf}
      />
      <Section
        title="Promo codes"
        id="promo-codes"
        add="/admin/offers/new/promo_code"
        addLabel="Add a promo code"
        rows={of((o) => o.stored.kind === 'promo_code')}
        shop={shop}
        csrf={csrf}
      />
      <Section
        title="Automatic offers"
        id="automatic"
        add="/admin/offers/new/happy_hour"
        addLabel="Add a happy hour"
        rows={of((o) => o.stored.kind === 'automatic')}
        shop={shop}
        csrf={csrf}
      >
        {' '}
        <a class="button" href="/admin/offers/new/nth_unit">
          Add “second one at X % off”
        </a>
      </Section>
      <section class="card" id="stamp-card">
        <h2>Stamp card</h2>
        <p>
          <a href="/admin/offers/stamp-card">Set up the stamp card</a>
        </p>
      </section>
    </>
  );
}
