import { errors, type KoaContextWithOIDC, type Provider } from 'oidc-provider';
import type { ConfirmationRequest } from '../domain/confirmation.js';
import type { Logger } from '../platform/logger.js';
import type { ConfirmationService } from '../services/payments/confirmation-service.js';
import type { CibaLinks } from './ciba-links.js';
import { MCP_SCOPES } from './mcp-resource.js';

/** The grant type a CIBA client polls the token endpoint with (CIBA Core §10.1). */
export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

/** Settles CIBA requests from the confirmations they wait on. */
export interface CibaSettlement {
  /** The customer decided on the confirmation page: settle the CIBA request waiting on it, if any. */
  decided(confirmation: ConfirmationRequest): void;
  /** Token endpoint middleware: paces polls (slow_down) and settles what `decided` missed. */
  readonly polls: Parameters<Provider['use']>[0];
}

const RESOURCE_SCOPES: ReadonlySet<string> = new Set(MCP_SCOPES);

/**
 * The confirmation request is the one record of the customer's decision. `decided` passes it on at
 * once; a decision it never saw (a Stripe payment confirmed by webhook, an order canceled, a restart
 * between the two) is found on the client's next poll instead, so no CIBA request waits in vain.
 */
export function createCibaSettlement(deps: {
  provider: Provider;
  links: CibaLinks;
  confirmations: Pick<ConfirmationService, 'poll'>;
  log: Logger;
}): CibaSettlement {
  const { provider, links, confirmations, log } = deps;

  async function settle(cibaId: string, confirmation: ConfirmationRequest): Promise<void> {
    const { state } = confirmation;
    if (state === 'pending') return;
    const request = await provider.BackchannelAuthenticationRequest.find(cibaId, { ignoreExpiration: true });
    if (request === undefined || request.consumed || request.grantId || request.error) return;
    await provider.backchannelResult(request, await resultOf(provider, request, state));
    log.info({ order_id: confirmation.orderId, state }, 'backchannel request settled');
  }

  return {
    decided(confirmation) {
      links
        .cibaOf(confirmation.authReqId)
        .then((cibaId) => (cibaId === undefined ? undefined : settle(cibaId, confirmation)))
        .catch((error: unknown) => log.error({ err: error }, 'settling a backchannel request failed'));
    },
    async polls(ctx, next) {
      await next();
      const { oidc } = ctx as KoaContextWithOIDC;
      if (oidc?.route !== 'token' || oidc.params?.grant_type !== CIBA_GRANT_TYPE) return;
      if (
        ctx.status !== 400 ||
        (ctx.body as { error?: unknown } | undefined)?.error !== 'authorization_pending'
      ) {
        return;
      }
      const cibaId = String(oidc.params.auth_req_id);
      try {
        const confirmationId = await links.confirmationOf(cibaId);
        if (confirmationId === undefined) return;
        const polled = confirmations.poll(confirmationId);
        if (polled.kind === 'slow_down') {
          // CIBA §11: still pending, and the interval grows by 5 s for this and every later poll.
          ctx.body = {
            error: 'slow_down',
            error_description: `poll at most every ${polled.interval} seconds`,
          };
          return;
        }
        await settle(cibaId, polled.request);
        // A refusal can be told now; tokens come on the next poll, from the provider's own handler.
        if (polled.state === 'denied' || polled.state === 'expired') {
          const { error, error_description } = refusalOf(polled.state);
          ctx.body = { error, error_description };
        }
      } catch (error) {
        log.error({ err: error }, 'pacing a backchannel poll failed');
      }
    },
  };
}

/** Approved: a grant of the scopes asked for (openid and the resource's); otherwise the CIBA error. */
async function resultOf(
  provider: Provider,
  request: InstanceType<Provider['BackchannelAuthenticationRequest']>,
  state: 'approved' | 'denied' | 'expired',
) {
  if (state !== 'approved') return refusalOf(state);
  const grant = new provider.Grant({ accountId: request.accountId, clientId: request.clientId });
  const asked = request.scope?.split(' ') ?? [];
  if (asked.includes('openid')) grant.addOIDCScope('openid');
  const resources = request.resource === undefined ? [] : [request.resource].flat();
  for (const resource of resources)
    grant.addResourceScope(
      resource,
      asked.filter((s) => RESOURCE_SCOPES.has(s)),
    );
  await grant.save();
  return grant;
}

function refusalOf(state: 'denied' | 'expired') {
  return state === 'denied'
    ? new errors.AccessDenied('the customer declined the order')
    : new errors.ExpiredToken('the confirmation expired, or the order was canceled');
}
