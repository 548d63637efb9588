import type { Order } from '../../domain/order.js';
import type { OrderState } from '../../domain/order-lifecycle.js';
import { EMAIL_DEFAULTS } from '../../domain/shop-settings.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { NoticesRepo, PushSubscriptionRecord } from '../../store/notices-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import type { ShopService } from '../shop/shop-service.js';
import type { EmailMessage, EmailSender } from './email-sender.js';
import { readyEmail, readyPush, receiptEmail } from './notice-texts.js';
import { endpointOrigin, type PushSender } from './push-sender.js';

/** Phones one order may notify: a customer with a phone and a tablet, not a list. */
export const MAX_PUSHES_PER_ORDER = 3;

/** States in which the order can still become ready: the only ones worth a subscription. */
const WAITING: ReadonlySet<OrderState> = new Set(['awaiting_confirmation', 'paid', 'in_kitchen']);
/** States after which nothing more is told: the subscriptions and the address are forgotten. */
const FINISHED: ReadonlySet<OrderState> = new Set(['collected', 'canceled', 'expired', 'refunded']);
/** States with something to put on a receipt: confirmed, and not finished. */
const RECEIPTABLE: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen', 'ready']);

/** What asking for a notice came to. */
export type NoticeOutcome = 'saved' | 'already' | 'full' | 'closed' | 'off';

/** "Your order is ready" on the customer's phone (Web Push) and by email, as they asked on the order page. */
export interface OrderNotices {
  subscribePush(orderId: string, subscription: PushSubscriptionRecord): NoticeOutcome;
  /** Records the address (once per order) and sends the receipt now; `off` while the shop has no mail server. */
  askEmail(orderId: string, email: string): NoticeOutcome;
  /** Whether the shop emails customers at all (the order page offers it only then). */
  emailOn(): boolean;
  /** Settles once every notice started so far has been sent or given up (tests, shutdown). */
  idle(): Promise<void>;
}

export interface OrderNoticesDeps {
  readonly repo: NoticesRepo;
  readonly orderEvents: Pick<OrderEvents, 'on'>;
  readonly order: (id: string) => Order | undefined;
  readonly shop: Pick<ShopService, 'settings' | 'formatTime'>;
  readonly push: PushSender;
  readonly email: EmailSender;
  readonly orderUrl: (orderId: string) => string;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Listens on the order moves: when an order becomes ready, after its transaction commits, each
 * subscription gets a push and the address an email — in the background, so a slow push service or
 * mail server never holds the kitchen's "ready" up; failures are logged without the endpoint's path or
 * the address. When the order is finished, what the customer left is forgotten in the same transaction.
 */
export function createOrderNotices(deps: OrderNoticesDeps): OrderNotices {
  const { repo, log } = deps;
  const running = new Set<Promise<void>>();
  const later = (task: () => Promise<void>) => {
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => log.error({ err: error }, 'customer notice failed'))
      .finally(() => running.delete(done));
    running.add(done);
  };
  const texts = () => ({ ...deps.shop.settings().profile, formatTime: deps.shop.formatTime });
  const mailSettings = () => deps.shop.settings().email ?? EMAIL_DEFAULTS;
  const mail = async (order: Order, message: EmailMessage, kind: string) => {
    try {
      await deps.email.send(mailSettings(), message);
      log.info({ order: order.code, kind }, 'customer email sent');
    } catch (error) {
      log.warn({ order: order.code, kind, reason: reasonOf(error) }, 'customer email not sent');
    }
  };
  const pushReady = async (order: Order, subscription: PushSubscriptionRecord) => {
    const origin = endpointOrigin(subscription.endpoint);
    try {
      const message = readyPush(order, texts(), deps.orderUrl(order.id));
      const { outcome, status } = await deps.push.send(subscription, message);
      if (outcome === 'gone') repo.removePush(order.id, subscription.endpoint);
      if (outcome === 'sent') log.info({ order: order.code, push: origin }, 'ready push sent');
      else log.warn({ order: order.code, push: origin, status, outcome }, 'ready push not delivered');
    } catch (error) {
      log.warn({ order: order.code, push: origin, reason: reasonOf(error) }, 'ready push not delivered');
    }
  };
  const announceReady = async (order: Order) => {
    const to = mailSettings().enabled ? repo.emailOf(order.id) : undefined;
    await Promise.all([
      ...repo.pushesOf(order.id).map((s) => pushReady(order, s)),
      ...(to === undefined
        ? []
        : [mail(order, readyEmail(to, order, texts(), deps.orderUrl(order.id)), 'ready')]),
    ]);
  };

  deps.orderEvents.on((order, from) => {
    if (FINISHED.has(order.state)) repo.forget(order.id);
    else if (order.state === 'ready' && from !== 'ready') later(() => announceReady(order));
  });

  return {
    subscribePush(orderId, subscription) {
      const order = deps.order(orderId);
      if (order === undefined || !WAITING.has(order.state)) return 'closed';
      const at = deps.clock.now().getTime();
      return repo.addPush(orderId, subscription, at, MAX_PUSHES_PER_ORDER) ? 'saved' : 'full';
    },
    askEmail(orderId, email) {
      if (!mailSettings().enabled) return 'off';
      const order = deps.order(orderId);
      if (order === undefined || !RECEIPTABLE.has(order.state)) return 'closed';
      if (!repo.setEmail(orderId, email, deps.clock.now().getTime())) return 'already';
      const url = deps.orderUrl(order.id);
      later(async () => {
        await mail(order, receiptEmail(email, order, texts(), url), 'receipt');
        if (order.state === 'ready') await mail(order, readyEmail(email, order, texts(), url), 'ready');
      });
      return 'saved';
    },
    emailOn: () => mailSettings().enabled,
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

/** A failure's kind for the log: its code or name, never its message (a server may echo the login back). */
function reasonOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const { code, name } = error as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown';
}
