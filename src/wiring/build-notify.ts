import { loadOrCreateVapidKeys } from '../auth/key-files.js';
import { orderPageUrl } from '../http/order-page-routes.js';
import { createEmailSender } from '../services/notify/email-sender.js';
import { createOrderNotices } from '../services/notify/order-notices.js';
import { createOrderWatch } from '../services/notify/order-watch.js';
import { createPushSender } from '../services/notify/push-sender.js';
import type { OrderEvents } from '../services/orders/order-events.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { createReceiverPolicy } from '../services/webhooks/receiver-address.js';
import { createCheckedFetch } from '../services/webhooks/webhook-transport.js';
import { createNoticesRepo } from '../store/notices-repo.js';
import type { OrdersRepo } from '../store/orders-repo.js';
import type { BuildContext } from './build-context.js';

/**
 * What tells the customer about their order: the live feed of the order pages, and "ready" by Web Push
 * (VAPID keys made at first start, kept in DATA_DIR) and by the shop's own email. Push requests go out
 * like the order webhooks: only to public addresses, besides WEBHOOK_PRIVATE_RECEIVERS.
 */
export function buildNotify(
  at: BuildContext,
  parts: { orderEvents: OrderEvents; ordersRepo: OrdersRepo; shop: ShopService },
) {
  const { config } = at;
  const vapid = loadOrCreateVapidKeys(config.dataDir);
  const publicUrl = new URL(config.publicUrl);
  const notices = createOrderNotices({
    repo: createNoticesRepo({ store: at.store }),
    orderEvents: parts.orderEvents,
    order: (id) => parts.ordersRepo.get(id),
    shop: parts.shop,
    push: createPushSender({
      vapid,
      // RFC 8292 §2.1: a contact for the push service's operator; the shop's https address when it has one.
      subject: publicUrl.protocol === 'https:' ? publicUrl.origin : `mailto:owner@${publicUrl.hostname}`,
      fetch: createCheckedFetch({ receivers: createReceiverPolicy(config.webhookPrivateReceivers) }),
    }),
    email: createEmailSender(),
    orderUrl: (id) => orderPageUrl(config.publicUrl, id),
    clock: at.clock,
    log: at.log.child({ module: 'notify' }),
  });
  return {
    orderWatch: createOrderWatch({ orderEvents: parts.orderEvents }),
    notices,
    vapidPublicKey: vapid.publicKey,
  };
}
