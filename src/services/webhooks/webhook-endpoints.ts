import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { WebhookEndpoint, WebhookRepo } from '../../store/webhook-repo.js';
import { nonPublicKind, type ReceiverPolicy } from './receiver-address.js';

export type { WebhookEndpoint } from '../../store/webhook-repo.js';

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

/** Names that are this machine by definition (RFC 6761 §6.3), checked as its loopback addresses. */
function addressesOfName(hostname: string): readonly string[] | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return [host];
  return host === 'localhost' || host.endsWith('.localhost') ? ['127.0.0.1', '::1'] : undefined;
}

/**
 * An https URL, or http to an address the operator allowed (a receiver on the shop's own network); no
 * credentials, no fragment; no loopback, private or link-local address unless allowed. A host name is
 * checked again, resolved, at every delivery (webhook-transport.ts).
 */
function receiverUrl(raw: string, receivers: ReceiverPolicy): string {
  const refuse = (why: string) =>
    new AppError('invalid_input', `${raw.slice(0, 200)} cannot receive webhooks: ${why}.`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('it is not a URL (e.g. https://agent.example.com/webhooks/orders)');
  }
  if (raw.length > MAX_URL_LENGTH) throw refuse(`it is longer than ${MAX_URL_LENGTH} characters`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('it must start with https://');
  const addresses = addressesOfName(url.hostname);
  const refusal = addresses?.map((address) => receivers.refusal(address)).find((why) => why !== undefined);
  if (refusal !== undefined) throw refuse(refusal);
  const allowedPrivate = addresses?.some((address) => nonPublicKind(address) !== undefined) === true;
  if (url.protocol === 'http:' && !allowedPrivate) {
    throw refuse('orders go over https only (http only to a receiver WEBHOOK_PRIVATE_RECEIVERS allows)');
  }
  if (url.username !== '' || url.password !== '') throw refuse('it must not contain a user name or password');
  if (url.hash !== '') throw refuse('it must not have a #fragment');
  return url.href;
}

/** Creates the endpoint service; secrets are 256 random bits, kept as they are because HMAC needs them. */
export function createWebhookEndpoints(deps: {
  repo: WebhookRepo;
  clock: Clock;
  ids: Ids;
  /** Which addresses receivers may have: public ones, and those the operator allowed. */
  receivers: ReceiverPolicy;
}): WebhookEndpoints {
  const { repo, clock, ids } = deps;
  return {
    add(raw) {
      const url = receiverUrl(raw, deps.receivers);
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
