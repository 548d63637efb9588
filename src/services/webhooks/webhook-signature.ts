import { createHmac } from 'node:crypto';

/** The request header carrying the signature (openapi.agentic_checkout_webhook.yaml). */
export const SIGNATURE_HEADER = 'Merchant-Signature';

/**
 * The `Merchant-Signature` value for a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256>` of
 * `timestamp + "." + raw_body`, keyed with the endpoint's secret as UTF-8 (ACP webhooks OpenAPI).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
