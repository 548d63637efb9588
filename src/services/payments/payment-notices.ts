import { isAppError, isShopFault } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/database.js';
import type { PaymentEventsRepo } from '../../store/payment-events-repo.js';
import type { PaymentNotice } from './payment-port.js';

/** What became of a notice: acted on, seen before (no second effect), or refused for good. */
export type NoticeOutcome = 'applied' | 'replayed' | 'rejected';

/** Takes provider notices in exactly once each. */
export interface PaymentNotices {
  receive(notice: PaymentNotice): NoticeOutcome;
}

export interface PaymentNoticesDeps {
  readonly store: Store;
  readonly events: PaymentEventsRepo;
  readonly clock: Clock;
  /**
   * Acts on a notice inside the durable transaction that records it (order paid and print job, or the
   * attempt failed or expired): both commit together or neither does. Throwing an AppError other than
   * `internal` refuses the notice for good (recorded as rejected, answered 200 so the provider stops
   * sending it); any other error rolls everything back and the provider sends the event again later.
   */
  readonly apply: (notice: PaymentNotice) => void;
}

/** Records each provider event once, in the same durable commit as its effect. */
export function createPaymentNotices(deps: PaymentNoticesDeps): PaymentNotices {
  const { store, events, clock } = deps;
  return {
    receive(notice) {
      return store.durableTransaction(() => {
        if (events.get(notice.provider, notice.eventId) !== undefined) return 'replayed';
        let outcome: 'applied' | 'rejected' = 'applied';
        let detail: string | undefined;
        try {
          store.savepoint(() => deps.apply(notice));
        } catch (error) {
          if (!isAppError(error) || isShopFault(error)) throw error;
          outcome = 'rejected';
          detail = `${error.code}: ${error.message}`.slice(0, 500);
        }
        events.insert({
          provider: notice.provider,
          eventId: notice.eventId,
          eventType: notice.eventType,
          orderId: notice.orderId,
          outcome,
          detail,
          receivedAt: clock.now().getTime(),
        });
        return outcome;
      });
    },
  };
}
