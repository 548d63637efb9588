import type { CheckoutDraft } from '../domain/checkout.js';
import { ACP_VERSION } from './acp-request.js';

/**
 * The payment handlers this shop accepts: the customer confirms on their phone and pays at pickup,
 * and, with the embedded vault, a delegated card token (ACP's tokenized card handler).
 */
export function paymentHandlers(publicUrl: string, merchantId?: string) {
  const card = {
    id: 'card_tokenized',
    name: 'dev.acp.tokenized.card',
    display_name: 'Card',
    version: ACP_VERSION,
    spec: 'https://acp.dev/handlers/tokenized.card',
    requires_delegate_payment: true,
    requires_pci_compliance: false,
    psp: 'counterpi_demo_vault',
    config_schema: 'https://acp.dev/schemas/handlers/tokenized.card/config.json',
    instrument_schemas: ['https://acp.dev/schemas/handlers/tokenized.card/instrument.json'],
    config: {
      merchant_id: merchantId,
      psp: 'counterpi_demo_vault',
      delegate_payment_url: `${publicUrl}/agentic_commerce/delegate_payment`,
      accepted_brands: ['visa', 'mastercard', 'amex', 'discover'],
      supports_3ds: false,
      environment: 'demo',
    },
  };
  return [
    {
      id: 'pay_at_pickup',
      name: 'dev.counterpi.pay_at_pickup',
      display_name: 'Confirm on your phone, pay at pickup',
      version: ACP_VERSION,
      spec: `${publicUrl}/acp/handlers/pay_at_pickup`,
      requires_delegate_payment: false,
      requires_pci_compliance: false,
      psp: 'counterpi',
      config_schema: `${publicUrl}/acp/handlers/pay_at_pickup/config.json`,
      instrument_schemas: [`${publicUrl}/acp/handlers/pay_at_pickup/instrument.json`],
      config: { confirmation: 'customer_phone', instrument_optional: true },
    },
    ...(merchantId === undefined ? [] : [card]),
  ];
}

/**
 * Interventions this shop can run or require: none. Payments are confirmed on the buyer's phone or with
 * a delegated card token; there is no 3-D Secure and no address verification.
 */
const SHOP_INTERVENTIONS: readonly string[] = [];

/**
 * `capabilities.interventions` of a session answer. Capability negotiation RFC §4.5.1: the seller
 * "computes the intersection of `capabilities.interventions.supported` arrays", returns only the
 * mutually supported ones and adds its own `required` and `enforcement`; §7.1: "Sellers MUST compute
 * and return the intersection of `interventions.supported`". With nothing on the shop's side the
 * intersection is empty whatever the agent declared (unknown values are ignored, §4.6.2); nothing is
 * required, and `enforcement` is the RFC's default, `conditional` (§4.3.1). Request-only fields
 * (`display_context`, `redirect_context` …) are not echoed.
 */
function negotiatedInterventions(agentCapabilities: Readonly<Record<string, unknown>>) {
  const declared = (agentCapabilities.interventions as { supported?: unknown } | undefined)?.supported;
  const agent = Array.isArray(declared) ? declared : [];
  return {
    supported: SHOP_INTERVENTIONS.filter((type) => agent.includes(type)),
    required: [] as string[],
    enforcement: 'conditional' as const,
  };
}

/** The discount extension as a session declares it active (discount extension RFC §3). */
const DISCOUNT_EXTENSION = {
  name: 'discount',
  extends: [
    '$.CheckoutSessionCreateRequest.discounts',
    '$.CheckoutSessionUpdateRequest.discounts',
    '$.CheckoutSession.discounts',
  ],
};

/**
 * Affiliate attribution as a session declares it active: request fields only, since the claim is
 * write-only and never part of a session answer (affiliate attribution RFC §4.3.4).
 */
const ATTRIBUTION_EXTENSION = {
  name: 'affiliate_attribution',
  extends: [
    '$.CheckoutSessionCreateRequest.affiliate_attribution',
    '$.CheckoutSessionCompleteRequest.affiliate_attribution',
  ],
};

/** Whether the agent listed `name` among the extensions it understands (extensions RFC §3.2). */
function declared(draft: CheckoutDraft, name: string): boolean {
  const extensions = draft.agentCapabilities.extensions;
  return Array.isArray(extensions) && extensions.includes(name);
}

/** The extensions this shop supports, as the discovery document lists them (`DiscoveryExtension`). */
export const SUPPORTED_EXTENSIONS = [
  { name: DISCOUNT_EXTENSION.name },
  { name: ATTRIBUTION_EXTENSION.name },
] as const;

/**
 * A session's `capabilities`: the payment handlers, the negotiated interventions, and the extensions
 * active for it (extensions RFC §2.2; none: omitted). The discount extension is declared whenever the
 * session carries `discounts` (`discountsShown`, present-discounts.ts). Attribution is declared when the
 * agent listed it (§3.2: "merchants SHOULD activate those extensions if available"), never because a
 * claim was sent.
 */
export function presentCapabilities(
  draft: CheckoutDraft,
  publicUrl: string,
  merchantId: string | undefined,
  discounts: boolean,
) {
  const extensions = [
    ...(discounts ? [DISCOUNT_EXTENSION] : []),
    ...(declared(draft, ATTRIBUTION_EXTENSION.name) ? [ATTRIBUTION_EXTENSION] : []),
  ];
  return {
    payment: { handlers: paymentHandlers(publicUrl, merchantId) },
    interventions: negotiatedInterventions(draft.agentCapabilities),
    ...(extensions.length > 0 ? { extensions } : {}),
  };
}
