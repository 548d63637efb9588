import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { AppError } from '../domain/app-error.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import type { WebhookEndpoint, WebhookRepo } from '../store/webhook-repo.js';

export type { WebhookEndpoint } from '../store/webhook-repo.js';

/** Every signing secret starts with this, so a leaked one is recognisable. */
const SECRET_PREFIX = 'whsec_';
const MAX_URL_LENGTH = 2000;

/** The owner's webhook receivers (counterpi webhook add/list/remove). */
export interface WebhookEndpoints {
  /** Adds a receiver; the signing secret is in the answer and shown nowhere else. */
  add(url: string): { readonly endpoint: WebhookEndpoint; readonly secret: string };
  list(): WebhookEndpoint[];
  /** Removes the receiver with this id (or unique id prefix); its pending deliveries are given up. */
  remove(idOrPrefix: string): WebhookEndpoint;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** An https URL, or http to this machine (a receiver under test); no credentials, no fragment. */
function receiverUrl(raw: string): string {
  const refuse = (why: string) =>
    new AppError('invalid_input', `${raw.slice(0, 200)} cannot receive webhooks: ${why}.`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('it is not a URL (e.g. https://agent.example.com/webhooks/orders)');
  }
  if (raw.length > MAX_URL_LENGTH) throw refuse(`it is longer than ${MAX_URL_LENGTH} characters`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw refuse('orders go to other hosts over https only (http is for a receiver on this machine)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('it must start with https://');
  if (url.username !== '' || url.password !== '') throw refuse('it must not contain a user name or password');
  if (url.hash !== '') throw refuse('it must not have a #fragment');
  return url.href;
}

/** Creates the endpoint service; secrets are 256 random bits, kept as they are because HMAC needs them. */
export function createWebhookEndpoints(deps: {
  repo: WebhookRepo;
  clock: Clock;
  ids: Ids;
}): WebhookEndpoints {
  const { repo, clock, ids } = deps;
  return {
    add(raw) {
      const url = receiverUrl(raw);
      const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
      const endpoint: WebhookEndpoint = {
        id: ids.next('whk'),
        url,
        createdAt: clock.now().getTime(),
        pending: 0,
        failed: 0,
        delivered: 0,
      };
      repo.insertEndpoint({ id: endpoint.id, url, secret, createdAt: endpoint.createdAt });
      return { endpoint, secret };
    },
    list: () => repo.endpoints(),
    remove(idOrPrefix) {
      const found = idOrPrefix.length < 5 ? [] : repo.findEndpoints(idOrPrefix);
      const [endpoint] = found;
      if (endpoint === undefined || found.length > 1) {
        throw new AppError(
          'not_found',
          found.length > 1
            ? `"${idOrPrefix}" matches ${found.length} webhook endpoints; give more of the id.`
            : `There is no webhook endpoint "${idOrPrefix}". \`counterpi webhook list\` shows them.`,
        );
      }
      repo.disableEndpoint(endpoint.id, clock.now().getTime());
      return endpoint;
    },
  };
}
