import { z } from 'zod';
import { type AcpErrorResponse, acpError, acpErrorFromApp } from './acp-error.js';
import { affiliateAttribution, attributionError } from './attribution-schema.js';

// Request bodies of the checkout endpoints, after the official JSON Schemas (additionalProperties:
// false where they say so). Objects counterpi keeps but does not interpret are taken as they come.
const text = (max: number) => z.string().max(max);
const anyObject = z.record(z.string(), z.unknown());

const address = z
  .object({
    name: text(200),
    line_one: text(200),
    line_two: text(200).optional(),
    city: text(100),
    state: text(100),
    country: text(2),
    postal_code: text(20),
  })
  .strict();

/** An ACP `Buyer` (checkout sessions and carts). */
export const buyer = z
  .object({
    first_name: text(100).optional(),
    last_name: text(100).optional(),
    full_name: text(200).optional(),
    email: z.email().max(254),
    phone_number: text(32).optional(),
    customer_id: text(200).optional(),
    account_type: z.enum(['guest', 'registered', 'business']).optional(),
    authentication_status: z.enum(['authenticated', 'guest', 'requires_signin']).optional(),
    company: anyObject.optional(),
    loyalty: anyObject.optional(),
    tax_exemption: anyObject.optional(),
  })
  .strict();

const fulfillmentDetails = z
  .object({
    name: text(200).optional(),
    phone_number: text(32).optional(),
    email: z.email().max(254).optional(),
    address: address.optional(),
  })
  .strict();

/**
 * An item: a menu item id, with options after a colon (`cheeseburger:no-onions,bacon`). The schema's
 * Item has no quantity, but the RFCs' examples send one; it is accepted (1–99), and the same id
 * twice counts twice.
 */
export const item = z
  .object({
    id: text(400).min(1),
    name: text(200).optional(),
    unit_amount: z.number().int().optional(),
    quantity: z.number().int().min(1).max(99).optional(),
  })
  .strict();

const capabilities = z
  .object({
    payment: anyObject.optional(),
    interventions: anyObject.optional(),
    extensions: z.array(z.unknown()).optional(),
  })
  .strict();

const selectedFulfillment = z
  .object({
    type: z.enum(['shipping', 'digital', 'pickup', 'local_delivery']).optional(),
    option_id: text(100),
    item_ids: z.array(text(400)).max(100).optional(),
  })
  .strict();

const discounts = z.object({ codes: z.array(text(100)).max(20) }).strict();

export const createRequestSchema = z
  .object({
    line_items: z.array(item).min(1).max(100),
    currency: text(3).optional(),
    capabilities: capabilities.optional(),
    buyer: buyer.optional(),
    fulfillment_details: fulfillmentDetails.optional(),
    fulfillment_groups: z.array(anyObject).optional(),
    affiliate_attribution: affiliateAttribution.optional(),
    coupons: z.array(text(100)).max(20).optional(),
    discounts: discounts.optional(),
    locale: text(35).optional(),
    timezone: text(64).optional(),
    quote_id: text(200).optional(),
    metadata: anyObject.optional(),
    order_notes: text(5000).optional(),
  })
  .strict();

export const updateRequestSchema = z
  .object({
    line_items: z.array(item).max(100).optional(),
    buyer: buyer.nullable().optional(),
    fulfillment_details: fulfillmentDetails.nullable().optional(),
    fulfillment_groups: z.array(anyObject).optional(),
    selected_fulfillment_options: z.array(selectedFulfillment).max(1).optional(),
    coupons: z.array(text(100)).max(20).optional(),
    discounts: discounts.optional(),
    order_notes: text(5000).nullable().optional(),
  })
  .strict();

const paymentData = z
  .object({
    handler_id: text(100).optional(),
    instrument: z
      .object({
        type: text(100),
        credential: z.object({ type: text(100), token: text(2000) }).passthrough(),
      })
      .passthrough()
      .optional(),
    billing_address: address.optional(),
    purchase_order_number: text(100).optional(),
    payment_terms: z.enum(['immediate', 'net_15', 'net_30', 'net_60', 'net_90']).optional(),
    due_date: z.string().optional(),
    approval_required: z.boolean().optional(),
  })
  .strict();

export const completeRequestSchema = z
  .object({
    payment_data: paymentData,
    buyer: buyer.optional(),
    authentication_result: anyObject.optional(),
    affiliate_attribution: affiliateAttribution.optional(),
    risk_signals: anyObject.optional(),
    marketing_consents: z.array(anyObject).optional(),
    order_notes: text(5000).optional(),
  })
  .strict();

export const cancelRequestSchema = z
  .object({
    intent_trace: z
      .object({
        reason_code: text(100),
        trace_summary: text(500).optional(),
        metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

function pathOf(segments: readonly PropertyKey[]): string {
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('')}`;
}

/** Parses a body with a schema, or the ACP 400 naming the first problem (`param` as a JSONPath). */
export function parseBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; value: T } | { ok: false; error: AcpErrorResponse } {
  // zod reports no input unless asked: without it a wrong type would read as a missing field.
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const [issue] = parsed.error.issues;
  if (issue === undefined)
    return { ok: false, error: acpError(400, 'invalid', 'The request body is not valid.') };
  // The affiliate attribution RFC names its own codes (§6.1 invalid_type, §6.2 pii_not_allowed).
  if (issue.path[0] === 'affiliate_attribution') {
    return { ok: false, error: acpErrorFromApp(attributionError(issue)) };
  }
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  const message =
    unknownKey !== undefined
      ? `Unknown field "${unknownKey}".`
      : missing
        ? `${pathOf(issue.path)} is required.`
        : `${pathOf(issue.path)}: ${issue.message}`;
  return {
    ok: false,
    error: acpError(400, missing ? 'missing' : 'invalid', message, { param: pathOf(path) }),
  };
}
