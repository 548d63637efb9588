import type { Config } from '../config/config.js';
import { systemClock } from '../platform/clock.js';
import { timeOrderedIds } from '../platform/ids.js';
import { createReceiverPolicy } from '../services/webhooks/receiver-address.js';
import { createWebhookEndpoints } from '../services/webhooks/webhook-endpoints.js';
import { createWebhookRepo } from '../store/webhook-repo.js';
import type { CliIo } from './cli-io.js';

import { openShop } from './shop-access.js';

const WEBHOOK_USAGE =
  'Usage: counterpi webhook add URL | counterpi webhook list | counterpi webhook remove ID\n';

/** Where signed ACP order events (order_create, order_update) are sent. */
export async function runWebhook(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const [arg] = rest;
  if (!((action === 'list' && rest.length === 0) || (arg !== undefined && rest.length === 1))) {
    io.stderr.write(WEBHOOK_USAGE);
    return 2;
  }
  const store = openShop(config, io);
  try {
    const endpoints = createWebhookEndpoints({
      repo: createWebhookRepo({ store }),
      clock: systemClock,
      ids: timeOrderedIds,
      receivers: createReceiverPolicy(config.webhookPrivateReceivers),
    });
    if (action === 'add' && arg !== undefined) {
      const { endpoint, secret } = endpoints.add(arg);
      io.stdout.write(`${secret}\n`);
      io.stderr.write(
        `Webhook endpoint ${endpoint.id} created for ${endpoint.url}. The line above is its signing secret, shown only this once: give it to the receiver, which checks Merchant-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" keyed with the whole secret>). Remove it with: counterpi webhook remove ${endpoint.id}\n`,
      );
      return 0;
    }
    if (action === 'list') {
      const all = endpoints.list();
      if (all.length === 0)
        io.stderr.write('No webhook endpoints. Add one with: counterpi webhook add URL\n');
      for (const e of all) {
        io.stdout.write(
          `${e.id}  ${e.url}  ${new Date(e.createdAt).toISOString()}  ${e.pending} pending  ${e.failed} failed  ${e.delivered} delivered\n`,
        );
      }
      return 0;
    }
    if (action === 'remove' && arg !== undefined) {
      const removed = endpoints.remove(arg);
      io.stderr.write(
        `Removed ${removed.id} (${removed.url}); ${removed.pending} pending delivery(ies) given up.\n`,
      );
      return 0;
    }
    io.stderr.write(WEBHOOK_USAGE);
    return 2;
  } finally {
    store.close();
  }
}
