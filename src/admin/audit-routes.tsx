import { PassThrough, Readable } from 'node:stream';
import type { Context } from 'hono';
import { addDays } from '../domain/shop-calendar.js';
import type { Clock } from '../platform/clock.js';
import type { AuditFilters, AuditLog } from '../services/audit/audit-log.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AdminEnv, AdminModule } from './admin-shell.js';
import { type AuditQuery, auditBody } from './audit-view.js';

export interface AuditPageDeps {
  readonly audit: Pick<AuditLog, 'recent' | 'verify' | 'export'>;
  readonly shop: Pick<ShopService, 'calendar' | 'formatTime'>;
  readonly clock: Clock;
}

/** Rows on one page. */
export const AUDIT_PAGE_ROWS = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[\w./{} -]{0,100}$/;

/** The query's filters in epoch milliseconds; a filter that cannot be read is left out and named. */
function filtersOf(
  query: AuditQuery,
  shop: AuditPageDeps['shop'],
): { filters: AuditFilters; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const day = (name: 'since' | 'until', date: string, plus: number) => {
    if (date === '') return undefined;
    if (!DATE.test(date) || Number.isNaN(Date.parse(date))) {
      errors[name] = 'Write a date like 2026-11-24.';
      return undefined;
    }
    return shop.calendar().toInstant(addDays(date, plus), 0).getTime();
  };
  if (!ACTION.test(query.action)) errors.action = 'Write the start of an action, like owner. or mcp.';
  return {
    // "until" is the whole of that day, in the shop's time zone.
    filters: {
      actionPrefix: errors.action === undefined && query.action !== '' ? query.action : undefined,
      sinceMs: day('since', query.since, 0),
      untilMs: day('until', query.until, 1),
    },
    errors,
  };
}

function queryOf(c: Context<AdminEnv>): AuditQuery {
  const text = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 100);
  return { action: text('action'), since: text('since'), until: text('until') };
}

/** The audit page: rows newest first with filters and paging, the CSV export, and the chain's check. */
export function auditModule(deps: AuditPageDeps): AdminModule {
  return {
    nav: { id: 'audit', label: 'Audit', path: '/admin/audit' },
    mount(router, shell) {
      router.get('/audit', (c) => {
        const query = queryOf(c);
        const { filters, errors } = filtersOf(query, deps.shop);
        const before = Number(c.req.query('before'));
        const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : undefined;
        // One more than a page tells whether there is an older page.
        const rows = deps.audit.recent(filters, { beforeSeq, limit: AUDIT_PAGE_ROWS + 1 });
        return shell.render(c, {
          title: 'Audit log',
          nav: 'audit',
          body: auditBody({
            query,
            errors,
            rows: rows.slice(0, AUDIT_PAGE_ROWS),
            older: rows.length > AUDIT_PAGE_ROWS ? rows[AUDIT_PAGE_ROWS - 1]?.seq : undefined,
            paged: beforeSeq !== undefined,
            verification: c.req.query('verify') === undefined ? undefined : deps.audit.verify(),
            time: (ms) => deps.shop.formatTime(new Date(ms)),
          }),
        });
      });
      router.get('/audit/export.csv', (c) => {
        const { filters } = filtersOf(queryOf(c), deps.shop);
        const out = new PassThrough();
        deps.audit.export(out, filters).then(
          () => out.end(),
          (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
        );
        // The shop's date, as every time on the owner pages.
        const date = deps.shop.calendar().localParts(deps.clock.now()).date;
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="audit-${date}.csv"`);
        return c.body(Readable.toWeb(out) as ReadableStream<Uint8Array>);
      });
    },
  };
}
