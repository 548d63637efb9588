import type { Child } from 'hono/jsx';
import type { DayReport } from '../domain/day-report.js';
import { formatMoney } from '../domain/money.js';
import type { ClosedDay } from '../services/reports/day-reports.js';
import { channelLabel, paymentLabel } from '../services/reports/report-labels.js';
import { CsrfField } from './admin-layout.js';
import { ActionButton, Field } from './form-fields.js';
import { guideLink } from './guide-link.js';

/** How the pages write money and times: the shop's currency and locale, the shop's time zone. */
export interface ReportFormat {
  readonly money: (amount: number, currency: string) => string;
  readonly time: (instant: Date) => string;
}

/** Formats amounts with the shop's locale. */
export function reportFormat(locale: string, time: (instant: Date) => string): ReportFormat {
  return { money: (amount, currency) => formatMoney(amount, currency, locale), time };
}

const Figures = ({ rows }: { rows: readonly (readonly [string, string, string?])[] }) => (
  <table class="problems">
    <tbody>
      {rows.map(([name, value, count]) => (
        <tr>
          <th scope="row">{name}</th>
          <td>{count ?? ''}</td>
          <td>{value}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** One report's figures, as the screen and a printed page show them. */
export function reportTables(r: DayReport, f: ReportFormat): Child {
  const m = (amount: number) => f.money(amount, r.currency);
  // Money taken off reads with a minus sign, but nothing taken off reads as nothing, not "-$0.00".
  const off = (amount: number) => m(amount === 0 ? 0 : -amount);
  const n = (orders: number) => `${orders} order${orders === 1 ? '' : 's'}`;
  return (
    <>
      <p>
        {r.day} · {r.timezone} · up to {f.time(new Date(r.asOf))}
      </p>
      <Figures
        rows={[
          ['Orders', String(r.orders)],
          ['Gross', m(r.gross)],
          [r.taxIncluded ? 'Items (tax included)' : 'Items', m(r.items)],
          ['Discounts', off(r.discounts)],
          ['Refunds', off(r.refunds.amount), n(r.refunds.orders)],
          ...r.tax.map(
            (t) => [`Tax: ${t.name} ${t.percent}%`, m(t.net), `refunded ${m(t.refunded)}`] as const,
          ),
          ['Tips', m(r.tips)],
          ['Fees', m(r.fees)],
          ['Delivery', m(r.delivery)],
          ['Net', m(r.net)],
        ]}
      />
      <h2>Payment methods</h2>
      <Figures rows={r.payments.map((p) => [paymentLabel(p.method), m(p.amount), n(p.orders)] as const)} />
      <h2>Channels</h2>
      <Figures rows={r.channels.map((c) => [channelLabel(c.channel), m(c.amount), n(c.orders)] as const)} />
      <h2>Items sold</h2>
      <Figures rows={r.itemsSold.map((i) => [i.name, m(i.amount), `× ${i.quantity}`] as const)} />
      <h2>Orders per hour</h2>
      <Figures
        rows={r.hours.map(
          (h) => [`${String(h.hour).padStart(2, '0')}:00`, m(h.amount), n(h.orders)] as const,
        )}
      />
    </>
  );
}

const Closed = ({ c, f, csrf }: { c: ClosedDay; f: ReportFormat; csrf: string }) => (
  <li class="row">
    <span class="main">
      <a href={`/admin/reports/${c.day}`}>
        <strong>{c.day}</strong>
      </a>{' '}
      {c.intact ? null : <span class="badge bad">changed after the close</span>}
      <br />
      <small>
        {c.report.orders} orders · net {f.money(c.report.net, c.report.currency)} · closed{' '}
        {f.time(c.closedAt)} by {c.closedBy} · audit row #{c.auditSeq}
      </small>
    </span>
    <a href={`/admin/reports/${c.day}/report.csv`}>CSV</a>{' '}
    <ActionButton action={`/admin/reports/${c.day}/print`} csrf={csrf} label="Print" />
  </li>
);

/** The reports page: the X report now, the close button, and the closed days. */
export function reportsBody(p: {
  readonly x: DayReport;
  readonly todayClosed: ClosedDay | undefined;
  /** Yesterday's date when it has orders and was not closed. */
  readonly yesterday: string | undefined;
  readonly history: readonly ClosedDay[];
  readonly csrf: string;
  readonly format: ReportFormat;
  /** The time the day closes by itself (HH:MM), or '' when only the owner closes it. */
  readonly autoCloseAt: string;
}): Child {
  const closedToday = p.todayClosed;
  return (
    <>
      <p class="hint intro">
        The X report shows today’s sales so far and changes nothing. Closing the day makes its Z report: it is
        stored once, sealed in the audit log, and can be downloaded, printed or viewed any time after. Close
        the day once the last order is in: orders after the close are not in that day’s Z report. Times are
        the shop’s. {guideLink('dayClose')}
      </p>
      <section class="card">
        <h2>X report: today so far</h2>
        {reportTables(p.x, p.format)}
        <p>
          <a href="/admin/reports/x.csv">Download as CSV</a>{' '}
          <ActionButton action="/admin/reports/print" csrf={p.csrf} label="Print on the kitchen printer" />
        </p>
        {closedToday === undefined ? (
          <ActionButton action="/admin/reports/close" csrf={p.csrf} label="Close the day" kind="primary" />
        ) : (
          <p>
            Today was closed at {p.format.time(closedToday.closedAt)}:{' '}
            <a href={`/admin/reports/${closedToday.day}`}>its Z report</a>.
            {p.x.orders > closedToday.report.orders
              ? ` ${p.x.orders - closedToday.report.orders} order(s) came in after the close and are not in it.`
              : ''}
          </p>
        )}
        {p.yesterday === undefined ? null : (
          <p>
            {p.yesterday} had orders and was not closed.{' '}
            <ActionButton
              action="/admin/reports/close"
              csrf={p.csrf}
              label={`Close ${p.yesterday}`}
              fields={{ day: p.yesterday }}
            />
          </p>
        )}
      </section>
      <form method="post" action="/admin/reports/auto" class="card">
        <CsrfField token={p.csrf} />
        <Field
          label="Close the day by itself at"
          name="auto_close_at"
          type="time"
          value={p.autoCloseAt}
          hint="The shop's time. Leave it empty to close the day only with the button. A day left open with orders is closed by itself the next day."
        />
        <button type="submit" class="secondary">
          Save
        </button>
      </form>
      <section class="card">
        <h2>Closed days (Z reports)</h2>
        {p.history.length === 0 ? (
          <p>No day has been closed yet.</p>
        ) : (
          <ul class="rows">
            {p.history.map((c) => (
              <Closed c={c} f={p.format} csrf={p.csrf} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** One closed day's Z report as a page to read or print from the browser. */
export function closedDayBody(c: ClosedDay, f: ReportFormat, csrf: string): Child {
  return (
    <>
      <p class="hint intro">
        Z report of {c.day}, closed {f.time(c.closedAt)} by {c.closedBy}. Sealed in audit row #{c.auditSeq}{' '}
        with SHA-256 <code>{c.sha256}</code>
        {c.intact ? '.' : ': the stored report no longer matches it — it was changed after the close.'}{' '}
        {guideLink('dayClose')}
      </p>
      <section class="card">{reportTables(c.report, f)}</section>
      <p>
        <a href={`/admin/reports/${c.day}/report.csv`}>Download as CSV</a>{' '}
        <ActionButton
          action={`/admin/reports/${c.day}/print`}
          csrf={csrf}
          label="Print on the kitchen printer"
        />{' '}
        <a href="/admin/reports">All reports</a>
      </p>
    </>
  );
}
