import type { Context } from 'hono';
import { isAppError } from '../domain/app-error.js';
import { addDays } from '../domain/shop-calendar.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { DayReports } from '../services/reports/day-reports.js';
import { reportCsv } from '../services/reports/report-csv.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { messagePage } from './admin-layout.js';
import { type AdminEnv, type AdminModule, type AdminShell, OWNER_ACTOR } from './admin-shell.js';
import { readForm } from './form-read.js';
import { closedDayBody, reportFormat, reportsBody } from './reports-view.js';

export interface ReportsPageDeps {
  readonly reports: DayReports;
  readonly shop: Pick<ShopService, 'settings' | 'formatTime'>;
  /** Writes settings sections (here `dayClose`) and refreshes the shop. */
  readonly save: (changes: Partial<ShopSettings>) => void;
}

const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** Closed days listed on the page. */
const HISTORY = 60;
const DAY = ':day{\\d\\d\\d\\d-\\d\\d-\\d\\d}';

function csv(c: Context<AdminEnv>, text: string, name: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${name}.csv"`);
  return c.body(text);
}

async function print(c: Context<AdminEnv>, shell: AdminShell, deps: ReportsPageDeps, day?: string) {
  const what = day === undefined ? 'The X report' : `The Z report of ${day}`;
  try {
    const result = await deps.reports.print(day);
    shell.ownerAction('reports.print', day ?? 'x', { outcome: result.ok ? 'ok' : 'printer_offline' });
    shell.flash(
      c,
      result.ok ? 'ok' : 'error',
      result.ok ? `${what} is printing.` : `${what} did not print: ${result.detail}`,
    );
  } catch (error) {
    if (!isAppError(error, 'invalid_input')) throw error;
    shell.flash(c, 'error', error.message);
  }
  return c.redirect(day === undefined ? '/admin/reports' : `/admin/reports/${day}`, 303);
}

/** Closes today, or the day the form names (yesterday, left open), and shows its Z report. */
async function closeDay(c: Context<AdminEnv>, shell: AdminShell, deps: ReportsPageDeps) {
  const day = (await readForm(c)).text('day');
  // The close writes its own audit row (day.close), sealing the report's hash: none is added here.
  let answer: ReturnType<DayReports['close']>;
  try {
    answer = deps.reports.close({ kind: 'owner', actor: OWNER_ACTOR }, day === '' ? undefined : day);
  } catch (error) {
    if (!isAppError(error, 'invalid_input')) throw error;
    shell.flash(c, 'error', error.message);
    return c.redirect('/admin/reports', 303);
  }
  const { closed, first } = answer;
  shell.flash(
    c,
    'ok',
    first ? `${closed.day} is closed.` : `${closed.day} was already closed; this is its first close.`,
  );
  return c.redirect(`/admin/reports/${closed.day}`, 303);
}

/** Sets (or clears) the time the day closes by itself. */
async function saveAutoClose(c: Context<AdminEnv>, shell: AdminShell, deps: ReportsPageDeps) {
  const text = (await readForm(c)).text('auto_close_at');
  if (text !== '' && !CLOCK.test(text)) {
    shell.flash(c, 'error', `Write the time like 22:30, not "${text.slice(0, 10)}".`);
    return c.redirect('/admin/reports', 303);
  }
  const autoCloseAt = text === '' ? null : text;
  deps.save({ dayClose: { autoCloseAt } });
  shell.ownerAction('settings.dayClose', undefined, { input: { autoCloseAt } });
  shell.flash(
    c,
    'ok',
    autoCloseAt === null
      ? 'The day closes only with the button now.'
      : `The day closes by itself at ${autoCloseAt}.`,
  );
  return c.redirect('/admin/reports', 303);
}

/** The day's close: the X report now, closing the day (Z), and the closed days as pages, CSV and prints. */
export function reportsModule(deps: ReportsPageDeps): AdminModule {
  const format = () => reportFormat(deps.shop.settings().profile.locale, (i) => deps.shop.formatTime(i));
  return {
    nav: { id: 'reports', label: 'Reports', path: '/admin/reports' },
    mount(router, shell) {
      router.get('/reports', (c) => {
        const x = deps.reports.current();
        return shell.render(c, {
          title: 'Day close',
          nav: 'reports',
          body: reportsBody({
            x,
            todayClosed: deps.reports.closed(x.day),
            yesterday: yesterdayOpen(deps.reports, x.day),
            history: deps.reports.history(HISTORY),
            csrf: c.get('csrf'),
            format: format(),
            autoCloseAt: deps.shop.settings().dayClose?.autoCloseAt ?? '',
          }),
        });
      });
      router.get('/reports/x.csv', (c) => {
        const x = deps.reports.current();
        return csv(c, reportCsv(x), `x-report-${x.day}`);
      });
      router.post('/reports/close', (c) => closeDay(c, shell, deps));
      router.post('/reports/auto', (c) => saveAutoClose(c, shell, deps));
      router.post('/reports/print', (c) => print(c, shell, deps));
      router.post(`/reports/${DAY}/print`, (c) => print(c, shell, deps, c.req.param('day')));
      router.get(`/reports/${DAY}/report.csv`, (c) => {
        const closed = deps.reports.closed(c.req.param('day'));
        if (closed === undefined) return notClosed(c, shell);
        return csv(c, reportCsv(closed.report), `z-report-${closed.day}`);
      });
      router.get(`/reports/${DAY}`, (c) => {
        const closed = deps.reports.closed(c.req.param('day'));
        if (closed === undefined) return notClosed(c, shell);
        return shell.render(c, {
          title: `Z report ${closed.day}`,
          nav: 'reports',
          body: closedDayBody(closed, format(), c.get('csrf')),
        });
      });
    },
  };
}

function notClosed(c: Context<AdminEnv>, shell: AdminShell) {
  return shell.render(c, {
    title: 'Not closed',
    nav: 'reports',
    body: messagePage('That day has not been closed: it has no Z report.', {
      href: '/admin/reports',
      label: 'Go to the reports',
    }),
    status: 404,
  });
}

/** Yesterday's date when it was left open with orders in it: the page offers to close it. */
function yesterdayOpen(reports: DayReports, today: string): string | undefined {
  const day = addDays(today, -1);
  return reports.closed(day) === undefined && reports.report(day).orders > 0 ? day : undefined;
}
