import type { Child } from 'hono/jsx';
import { type GuideDocId, guidePath } from './guide-pages.js';

/**
 * Every section of the owner's guide an owner page links to. Pages name a topic, never an address, so
 * `guide-link.test.ts` can hold each anchor against the rendered guide: a renamed heading fails it.
 */
export const GUIDE_TOPICS = {
  onboarding: { doc: 'owner', anchor: 'onboarding', label: 'Setting up' },
  dashboard: { doc: 'owner', anchor: 'the-dashboard', label: 'The dashboard' },
  takeOrder: { doc: 'owner', anchor: 'taking-an-order', label: 'Taking an order' },
  sales: { doc: 'owner', anchor: 'sales', label: 'Sales' },
  statuses: { doc: 'owner', anchor: 'what-the-statuses-mean', label: 'What the statuses mean' },
  connect: { doc: 'owner', anchor: 'connecting-assistants', label: 'Connecting assistants' },
  publicAddress: { doc: 'operations', anchor: 'public-address', label: 'Public address' },
  menu: { doc: 'owner', anchor: 'menu', label: 'The menu page' },
  menuFiles: { doc: 'owner', anchor: 'menu-files', label: 'Menu files' },
  offers: { doc: 'owner', anchor: 'offers', label: 'Offers' },
  pausing: { doc: 'owner', anchor: 'pausing-ordering', label: 'Pausing ordering' },
  hours: { doc: 'owner', anchor: 'opening-hours', label: 'Opening hours' },
  pickup: { doc: 'owner', anchor: 'pickup', label: 'Pickup' },
  delivery: { doc: 'owner', anchor: 'delivery', label: 'Delivery' },
  tax: { doc: 'owner', anchor: 'tax', label: 'Tax' },
  fees: { doc: 'owner', anchor: 'fees-and-tips', label: 'Fees and tips' },
  printer: { doc: 'owner', anchor: 'printer', label: 'Printer settings' },
  gpio: { doc: 'owner', anchor: 'gpio-pins', label: 'GPIO pins' },
  customerEmail: { doc: 'customers-and-agents', anchor: 'email-to-customers', label: 'Email to customers' },
  wiring: { doc: 'hardware', anchor: 'default-gpio-pins-bcm-numbering', label: 'Wiring the pins' },
  acpKeys: { doc: 'owner', anchor: 'acp-api-keys', label: 'ACP API keys' },
  customerTokens: { doc: 'owner', anchor: 'customer-tokens', label: 'Customer tokens' },
  webhooks: { doc: 'owner', anchor: 'order-webhooks', label: 'Order webhooks' },
  backups: { doc: 'owner', anchor: 'backups', label: 'Backups' },
  restore: { doc: 'owner', anchor: 'restoring-a-backup', label: 'Restoring a backup' },
  audit: { doc: 'owner', anchor: 'audit-log', label: 'The audit log' },
  dayClose: { doc: 'owner', anchor: 'day-close', label: 'Day close' },
  clockAndPower: { doc: 'owner', anchor: 'the-pis-clock-and-power', label: 'The Pi’s clock and power' },
  forgottenPassword: { doc: 'owner', anchor: 'forgotten-owner-password', label: 'Forgotten owner password' },
} as const satisfies Readonly<Record<string, { doc: GuideDocId; anchor: string; label: string }>>;

/** A section of the guide an owner page may link to. */
export type GuideTopic = keyof typeof GUIDE_TOPICS;

/** The address of a topic's section: `/admin/guide/owner#backups`. */
export function guideHref(topic: GuideTopic): string {
  const { doc, anchor } = GUIDE_TOPICS[topic];
  return guidePath(doc, anchor);
}

/** The small "?" beside a heading that opens its part of the guide: `guideLink('backups')`. */
export function guideLink(topic: GuideTopic): Child {
  return (
    <a class="help" href={guideHref(topic)} aria-label={`Help: ${GUIDE_TOPICS[topic].label}`}>
      ?
    </a>
  );
}
