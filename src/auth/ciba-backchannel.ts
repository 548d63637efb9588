import { type CIBAConfiguration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { CONFIRMATION_TTL_SECONDS, MAX_BINDING_MESSAGE } from '../domain/confirmation.js';
import { clientAddress, createRateLimiter, type RateLimit } from '../http/rate-limit.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { type CibaShop, type CibaTarget, resolveHint } from './ciba-hint.js';
import type { CibaLinks } from './ciba-links.js';

/** The backchannel endpoint's part of the provider configuration: `features.ciba` and its request TTL. */
export interface CibaBackchannel {
  readonly feature: CIBAConfiguration;
  /** `ttl.BackchannelAuthenticationRequest`: what is left of the confirmation's time. */
  readonly ttl: (ctx: KoaContextWithOIDC) => number;
}

/**
 * Hint lookups per client address. An order code has four characters: this keeps guessing one out of
 * reach, and is far above what a shop's assistants send (one request per order).
 */
export const BACKCHANNEL_LIMIT: RateLimit = { limit: 30, windowMs: 10 * 60_000 };

/** C0/C1 controls and format characters (bidi, zero-width): never on the customer's screen. */
const HIDDEN = /[\p{Cc}\p{Cf}]/u;

/**
 * OpenID CIBA Core 1.0 in poll mode over the shop's confirmation requests: `login_hint` names an order
 * awaiting confirmation, the backchannel request waits on that order's confirmation request, and the
 * customer's decision on the confirmation page settles it (ciba-settle.ts).
 */
export function createCibaBackchannel(deps: {
  shop: CibaShop;
  links: CibaLinks;
  clock: Clock;
  log: Logger;
}): CibaBackchannel {
  const { shop, links, clock, log } = deps;
  // What processLoginHint found, for the TTL and the trigger of the same request.
  const targets = new WeakMap<KoaContextWithOIDC, CibaTarget>();
  const limiter = createRateLimiter({ clock, rule: BACKCHANNEL_LIMIT });

  const feature: CIBAConfiguration = {
    enabled: true,
    deliveryModes: ['poll'],
    processLoginHint(ctx, hint) {
      const wait = limiter.take(
        clientAddress(ctx.req.socket.remoteAddress, (name) => ctx.get(name) || undefined),
      );
      if (wait !== undefined) {
        ctx.set('Retry-After', String(wait));
        throw new errors.InvalidRequest(`too many backchannel requests; try again in ${wait} seconds`, 429);
      }
      const found = resolveHint(shop, hint ?? '', bindingMessageOf(ctx));
      if (!found.ok) {
        throw found.error === 'unknown_user_id'
          ? new errors.UnknownUserId(found.description)
          : new errors.InvalidBindingMessage(found.description);
      }
      targets.set(ctx, found.target);
      return found.target.subject;
    },
    processLoginHintToken,
    validateBindingMessage,
    // request_context carries nothing the shop acts on.
    validateRequestContext() {},
    // The last hook before the request is stored: an id_token_hint names a customer but not an order.
    verifyUserCode(ctx) {
      if (!targets.has(ctx)) {
        throw new errors.InvalidRequest('login_hint must name the order: its code or the customer’s phone');
      }
    },
    async triggerAuthenticationDevice(ctx, request, _account, client) {
      const target = targets.get(ctx);
      if (target === undefined) throw new errors.InvalidRequest('no order for this request');
      // The customer already has the link to this confirmation (the assistant showed it): approving
      // there settles this request too.
      await links.attach(request.jti, target.confirmation.authReqId, request.expiration);
      // CIBA §7.3: the interval the confirmation paces polls with (and answers slow_down under).
      (ctx.body as Record<string, unknown>).interval = target.confirmation.interval;
      log.info(
        { client_id: client.clientId, order_id: target.order.id, expires_in: request.expiration },
        'backchannel request waits on the order confirmation',
      );
    },
  };

  return {
    feature,
    ttl(ctx) {
      const target = targets.get(ctx);
      const left =
        target === undefined
          ? CONFIRMATION_TTL_SECONDS
          : Math.floor((target.confirmation.expiresAt.getTime() - clock.now().getTime()) / 1000);
      const requested = Number(ctx.oidc.params?.requested_expiry);
      return Math.max(1, Number.isSafeInteger(requested) && requested > 0 ? Math.min(left, requested) : left);
    },
  };
}

function processLoginHintToken(): never {
  throw new errors.InvalidRequest('login_hint_token is not supported; send login_hint');
}

/** CIBA §7.1: short, plain text. Whether it is the order's own is checked once the order is known. */
function validateBindingMessage(_ctx: KoaContextWithOIDC, message: string | undefined): void {
  if (message === undefined) return;
  if (message.trim() === '' || message.length > MAX_BINDING_MESSAGE || HIDDEN.test(message)) {
    throw new errors.InvalidBindingMessage(
      `binding_message must be plain text of at most ${MAX_BINDING_MESSAGE} characters`,
    );
  }
}

function bindingMessageOf(ctx: KoaContextWithOIDC): string | undefined {
  const value = ctx.oidc.params?.binding_message;
  return typeof value === 'string' ? value : undefined;
}
