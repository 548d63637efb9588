import type { Child } from 'hono/jsx';
import type { AuditRow, AuditVerification } from '../services/audit/audit-log.js';
import { Field, type FieldErrors } from './form-fields.js';
import { guideLink } from './guide-link.js';

/** The filters as the owner typed them (shop-local dates), for the form and the links. */
export interface AuditQuery {
  readonly action: string;
  readonly since: string;
  readonly until: string;
}

/** A link to the audit page (or its export) with the query's filters and more. */
function auditLink(path: string, query: AuditQuery, more: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, ...more }))
    if (value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

function verificationText(v: AuditVerification): Child {
  return v.ok ? (
    <p class="flash ok" role="status">
      The chain is intact: all {v.rows} rows link up, last hash <code>{v.lastHash.slice(0, 16)}…</code>
    </p>
  ) : (
    <p class="flash error" role="alert">
      The chain is broken at row {v.seq} ({v.rows} rows before it are intact): {v.reason}.
    </p>
  );
}

const Row = ({ row, time }: { row: AuditRow; time: (ms: number) => string }) => (
  <li class="row">
    <span class="main">
      <strong>{row.action}</strong>{' '}
      <span class={row.outcome === 'ok' ? 'badge ok' : 'badge bad'}>{row.outcome}</span>
      <br />
      <small>
        #{row.seq} · {time(row.at)} · {row.actorKind}
        {row.actor === null ? '' : ` ${row.actor}`}
        {row.target === null ? '' : ` → ${row.target}`}
        {row.latencyMs === null ? '' : ` · ${Math.round(row.latencyMs)} ms`}
      </small>
      {row.inputSummary === null ? null : (
        <>
          <br />
          <code class="summary">{row.inputSummary}</code>
        </>
      )}
    </span>
  </li>
);

/** The audit page: filter form, the chain check, a page of rows and the links to the next. */
export function auditBody(p: {
  readonly query: AuditQuery;
  readonly errors: FieldErrors;
  readonly rows: readonly AuditRow[];
  /** The seq to page on from, when there are older rows. */
  readonly older: number | undefined;
  readonly paged: boolean;
  readonly verification: AuditVerification | undefined;
  readonly time: (ms: number) => string;
}): Child {
  const { query, errors } = p;
  return (
    <>
      <p class="hint intro">
        Everything that happened, newest first: orders and payments, what assistants and agents asked, and
        every change made on these pages, each row sealed to the one before it so that a later change shows.
        Times are the shop’s. {guideLink('audit')}
      </p>
      {p.verification === undefined ? null : verificationText(p.verification)}
      <form method="get" action="/admin/audit" class="card">
        <Field
          label="Action starts with"
          name="action"
          value={query.action}
          errors={errors}
          hint="Like owner. or mcp. or order."
        />
        <Field label="From (day)" name="since" value={query.since} errors={errors} type="date" />
        <Field label="To (day, included)" name="until" value={query.until} errors={errors} type="date" />
        <p class="actions">
          <button type="submit" class="primary">
            Filter
          </button>{' '}
          <a href="/admin/audit">Clear</a>{' '}
          <a href={auditLink('/admin/audit/export.csv', query)} download>
            Download these rows as CSV
          </a>
        </p>
      </form>
      <form method="get" action="/admin/audit" class="inline">
        <input type="hidden" name="verify" value="1" />
        <button type="submit" class="secondary">
          Check the chain
        </button>
      </form>
      <section class="card">
        {p.rows.length === 0 ? <p>No rows{p.paged ? ' older than these' : ''}.</p> : null}
        <ul class="rows">
          {p.rows.map((row) => (
            <Row row={row} time={p.time} />
          ))}
        </ul>
        <p class="actions">
          {p.paged ? <a href={auditLink('/admin/audit', query)}>Newest</a> : null}{' '}
          {p.older === undefined ? null : (
            <a href={auditLink('/admin/audit', query, { before: String(p.older) })}>Older</a>
          )}
        </p>
      </section>
    </>
  );
}
