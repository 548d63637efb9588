import type { Child } from 'hono/jsx';
import type { CodeBatch } from '../services/offers/offer-admin.js';
import { Field, type FieldErrors, PostForm } from './form-fields.js';

/** A promo-code offer's codes: those typed by hand, the batches (with their CSV), and forms for more. */
export function offerCodesBody(p: {
  readonly offerId: string;
  readonly codes: readonly { code: string; used: number }[];
  readonly batches: readonly CodeBatch[];
  readonly formatTime: (instant: Date) => string;
  readonly batchValues: { readonly count: string; readonly prefix: string };
  readonly codeValue: string;
  readonly errors: FieldErrors;
  readonly csrf: string;
}): Child {
  const base = `/admin/offers/${p.offerId}`;
  return (
    <section class="card" id="codes">
      <h2>Codes</h2>
      {p.codes.length === 0 ? null : (
        <ul class="rows">
          {p.codes.map((c) => (
            <li class="row">
              <span class="main">
                <code>{c.code}</code> · used {c.used} {c.used === 1 ? 'time' : 'times'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {p.batches.length === 0 ? null : (
        <ul class="rows" id="batches">
          {p.batches.map((b) => (
            <li class="row">
              <span class="main">
                Batch of {b.codes} single-use codes, {p.formatTime(new Date(b.createdAtMs))} · {b.used} used
              </span>
              <a class="button secondary" href={`/admin/offers/batches/${b.id}.csv`}>
                Download CSV
              </a>
            </li>
          ))}
        </ul>
      )}
      <PostForm action={`${base}/codes`} csrf={p.csrf}>
        <Field
          label="Add a code"
          name="code"
          value={p.codeValue}
          errors={p.errors}
          autocapitalize="characters"
          hint="Customers type it; letters, digits and dashes."
        />
        <button type="submit" class="secondary">
          Add the code
        </button>
      </PostForm>
      <PostForm action={`${base}/batches`} csrf={p.csrf}>
        <Field
          label="Single-use codes to make"
          name="count"
          value={p.batchValues.count}
          errors={p.errors}
          inputmode="numeric"
          hint="Up to 1000; each code works once. Print them on flyers or send them by email."
        />
        <Field
          label="Prefix"
          name="prefix"
          value={p.batchValues.prefix}
          errors={p.errors}
          autocapitalize="characters"
          hint="Optional, up to 12 letters or digits, like FLYER."
        />
        <button type="submit">Make the codes</button>
      </PostForm>
    </section>
  );
}
