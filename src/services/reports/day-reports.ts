import { hash } from 'node:crypto';
import type { PrintOut } from '../../devices/printer.js';
import { AppError } from '../../domain/app-error.js';
import { channelOfSubject, type DayReport, dayReport } from '../../domain/day-report.js';
import { addDays } from '../../domain/shop-calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/database.js';
import type { DayCloseRow, DayClosesRepo } from '../../store/day-closes-repo.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { AuditLog } from '../audit/audit-log.js';
import { canonicalJson } from '../orders/idempotency.js';
import type { ShopService } from '../shop/shop-service.js';
import { reportTicket } from './report-ticket.js';

/** A closed day: its Z report, who closed it and when, and the audit row that seals it. */
export interface ClosedDay {
  readonly day: string;
  readonly closedAt: Date;
  readonly closedBy: string;
  readonly report: DayReport;
  /** SHA-256 of the report's canonical JSON, as the audit row's input holds it. */
  readonly sha256: string;
  readonly auditSeq: number;
  /** False when the stored report no longer hashes to `sha256`: it was changed after the close. */
  readonly intact: boolean;
}

/** The X report (so far today) and the day's close (Z report). */
export interface DayReports {
  /** Today's sales so far, in the shop's time zone; changes nothing. */
  current(): DayReport;
  /** A local day's sales as they stand now (up to now for today); changes nothing. */
  report(day: string): DayReport;
  /**
   * Closes a local day (today unless told): once. Closing a closed day answers its first close
   * (`first: false`); a day that has not begun is refused.
   */
  close(
    closedBy: { readonly kind: 'owner' | 'system'; readonly actor: string },
    day?: string,
  ): {
    readonly closed: ClosedDay;
    readonly first: boolean;
  };
  closed(day: string): ClosedDay | undefined;
  /** Closed days, newest first. */
  history(limit: number): ClosedDay[];
  /** Prints the X report (no day) or a closed day's Z report on the kitchen printer. */
  print(day?: string): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

export interface DayReportsDeps {
  readonly store: Store;
  readonly repo: DayClosesRepo;
  readonly orders: Pick<OrdersRepo, 'get' | 'subjectOf'>;
  readonly shop: Pick<ShopService, 'settings' | 'calendar' | 'formatTime'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly clock: Clock;
  /** Prints a document on the kitchen printer, after the ticket being sent (the print queue's `printNow`). */
  readonly print: (out: PrintOut) => Promise<{ readonly ok: boolean; readonly detail: string }>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** SHA-256 (hex) of a report's canonical JSON: what the close stores and the audit row seals. */
export function reportHash(json: string): string {
  return hash('sha256', json);
}

function toClosed(row: DayCloseRow): ClosedDay {
  return {
    day: row.day,
    closedAt: new Date(row.closedAt),
    closedBy: row.closedBy,
    report: JSON.parse(row.report) as DayReport,
    sha256: row.sha256,
    auditSeq: row.auditSeq,
    intact: reportHash(row.report) === row.sha256,
  };
}

/** Creates the reports service; it reads orders and writes only closes and their audit rows. */
export function createDayReports(deps: DayReportsDeps): DayReports {
  const { shop, clock } = deps;
  const today = () => shop.calendar().localParts(clock.now()).date;

  function reportOf(day: string, asOf: Date): DayReport {
    const calendar = shop.calendar();
    const from = calendar.toInstant(day, 0);
    const until = calendar.toInstant(addDays(day, 1), 0);
    const ids = deps.repo.reportedOrderIds(from.getTime(), until.getTime());
    const orders = ids.flatMap((id) => {
      const order = deps.orders.get(id);
      return order === undefined
        ? []
        : [{ order, channel: channelOfSubject(deps.orders.subjectOf(order.customerId)) }];
    });
    return dayReport({
      day,
      timezone: calendar.timezone,
      currency: shop.settings().profile.currency,
      from,
      until,
      asOf: asOf.getTime() < until.getTime() ? asOf : until,
      orders,
      localHour: (instant) => Math.floor(calendar.localParts(instant).minutes / 60),
    });
  }

  function closeNow(by: { kind: 'owner' | 'system'; actor: string }, day: string) {
    const existing = deps.repo.get(day);
    if (existing !== undefined) return { closed: toClosed(existing), first: false };
    const now = clock.now();
    const json = canonicalJson(reportOf(day, now));
    const sha256 = reportHash(json);
    const report = JSON.parse(json) as DayReport;
    const stamp = deps.audit.record({
      actorKind: by.kind,
      actor: by.actor,
      action: 'day.close',
      target: day,
      outcome: 'ok',
      input: { day, sha256, orders: report.orders, net: report.net, currency: report.currency },
    });
    const row = {
      day,
      closedAt: now.getTime(),
      closedBy: by.actor,
      report: json,
      sha256,
      auditSeq: stamp.seq,
    };
    deps.repo.insert(row);
    return { closed: toClosed(row), first: true };
  }

  return {
    current: () => reportOf(today(), clock.now()),
    report: (day) => reportOf(day, clock.now()),
    close(by, day = today()) {
      // A date that rolls over (2026-02-30) is no day either.
      if (!DATE.test(day) || addDays(day, 0) !== day) {
        throw new AppError('invalid_input', `Name a day like 2026-11-24, not "${day.slice(0, 20)}".`);
      }
      if (day > today())
        throw new AppError('invalid_input', `${day} has not begun: it cannot be closed yet.`);
      // One durable transaction: the close and its audit row commit together, or neither does.
      return deps.store.durableTransaction(() => closeNow(by, day));
    },
    closed(day) {
      const row = deps.repo.get(day);
      return row === undefined ? undefined : toClosed(row);
    },
    history: (limit) => deps.repo.recent(limit).map(toClosed),
    async print(day) {
      const closed = day === undefined ? undefined : deps.repo.get(day);
      if (day !== undefined && closed === undefined) {
        throw new AppError('invalid_input', `${day} has not been closed: there is no Z report to print.`);
      }
      const report = closed === undefined ? reportOf(today(), clock.now()) : toClosed(closed).report;
      const kind = closed === undefined ? 'X' : 'Z';
      const encoded = reportTicket(report, kind, shop.settings(), shop.formatTime);
      return deps.print({ name: `report-${kind}-${report.day}-${clock.now().getTime()}`, ...encoded });
    },
  };
}
