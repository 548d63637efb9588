import QRCode from 'qrcode';
import type { ConfirmationRequest } from '../domain/confirmation.js';
import type { Logger } from '../platform/logger.js';
import type { OrderEvents } from '../services/orders/order-events.js';
import type { OrderService } from '../services/orders/order-service.js';
import { createConfirmationService } from '../services/payments/confirmation-service.js';
import { createPaymentNotices } from '../services/payments/payment-notices.js';
import { createPaymentVault, merchantIdFromPublicUrl } from '../services/payments/payment-vault.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { createConfirmationRepo } from '../store/confirmation-repo.js';
import type { OrdersRepo } from '../store/orders-repo.js';
import { createPaymentEventsRepo } from '../store/payment-events-repo.js';
import { createVaultRepo } from '../store/vault-repo.js';
import type { BuildContext } from './build-context.js';
import { paymentProvider } from './ports.js';

/**
 * The card vault, the PAYMENTS provider, the customer's confirmation, and Stripe's notices when
 * configured. Stripe's modules load only then (with mail and Web Push also loaded on first use, importing
 * counterpi went from 138 to 126 MB resident).
 */
export async function buildPayments(
  at: BuildContext,
  core: { readonly shop: ShopService; readonly ordersRepo: OrdersRepo },
  ordering: { readonly orders: OrderService; readonly orderEvents: OrderEvents },
) {
  const { store, clock, ids, config, log } = at;
  const { ordersRepo } = core;
  const vaultTokens = createVaultRepo({ store });
  const vault = createPaymentVault({
    repo: vaultTokens,
    store,
    clock,
    ids,
    merchantId: merchantIdFromPublicUrl(config.publicUrl),
  });
  const payments = await paymentProvider(config, {
    store,
    vault,
    vaultTokens,
    clock,
    endpoint: at.deps.stripeEndpoint,
  });
  const confirmationRepo = createConfirmationRepo({ store });
  const confirmations = createConfirmationService({
    store,
    repo: confirmationRepo,
    orders: { get: (id) => ordersRepo.get(id), apply: ordering.orders.transitionById },
    clock,
    ids,
    publicUrl: config.publicUrl,
    payments,
    locale: () => core.shop.settings().profile.locale,
    channelOf: (order) => (ordersRepo.subjectOf(order.customerId)?.startsWith('acp:') ? 'acp' : 'mcp'),
    opened: (request, link) => debugQr(log, request, link),
    orderEvents: ordering.orderEvents,
  });
  const stripe =
    config.payments === 'stripe' && config.stripeWebhookSecret !== undefined
      ? {
          webhooks: (await import('../services/payments/stripe-webhooks.js')).createStripeWebhooks({
            secret: config.stripeWebhookSecret,
            clock,
          }),
          notices: createPaymentNotices({
            store,
            events: createPaymentEventsRepo({ store }),
            clock,
            apply: (notice) => confirmations.applyNotice(notice),
          }),
        }
      : undefined;
  return { vault, payments, confirmationRepo, confirmations, stripe };
}

/**
 * The link is a capability (whoever has it may approve): shown as a terminal QR only in a debug log, for
 * an owner trying the demo at a terminal; never at the default level.
 */
function debugQr(log: Logger, request: ConfirmationRequest, link: string): void {
  if (!log.isLevelEnabled('debug')) return;
  QRCode.toString(link, { type: 'terminal', small: true })
    .then((qr) => log.debug({ order_id: request.orderId }, `confirm "${request.bindingMessage}":\n${qr}`))
    .catch(() => undefined);
}
