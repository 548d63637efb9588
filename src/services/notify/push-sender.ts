import type { PushSubscriptionRecord } from '../../store/notices-repo.js';
import type { WebhookFetch } from '../webhooks/webhook-transport.js';

/** How long a push service keeps a message for a phone that is off: a late "ready" is still useful, a day-old one is not. */
export const PUSH_TTL_MINUTES = 30;

/** What a push service answered: delivered (queued), gone for good (404/410: forget it), or failed. */
export type PushOutcome = 'sent' | 'gone' | 'failed';

/** What the notification shows; the service worker reads it from the decrypted message. */
export interface PushMessage {
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

/** Sends one Web Push message. */
export interface PushSender {
  send(
    subscription: PushSubscriptionRecord,
    message: PushMessage,
  ): Promise<{ outcome: PushOutcome; status?: number }>;
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and an aes128gcm-encrypted payload (RFC 8291), built by the
 * `web-push` package and sent through `fetch` — the checked fetch of the webhooks, so a subscription
 * cannot point our request at the shop's own network. `subject` is the contact the push service sees.
 */
export function createPushSender(deps: {
  readonly vapid: { readonly publicKey: string; readonly privateKey: string };
  readonly subject: string;
  readonly fetch: WebhookFetch;
}): PushSender {
  return {
    async send(subscription, message) {
      // Loaded at the first push: a shop whose customers never opt in never holds it in memory.
      const { default: webPush } = await import('web-push');
      const request = webPush.generateRequestDetails(subscription, JSON.stringify(message), {
        vapidDetails: { subject: deps.subject, ...deps.vapid },
        TTL: PUSH_TTL_MINUTES * 60,
        contentEncoding: 'aes128gcm',
        urgency: 'high',
      });
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      const body = request.body === null ? undefined : new Uint8Array(request.body);
      const res = await deps.fetch(request.endpoint, {
        method: 'POST',
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status >= 200 && res.status < 300) return { outcome: 'sent', status: res.status };
      return { outcome: res.status === 404 || res.status === 410 ? 'gone' : 'failed', status: res.status };
    },
  };
}

/** Where a subscription's endpoint is, for logs: its origin only, never the path (the subscription's secret id). */
export function endpointOrigin(endpoint: string): string {
  return URL.parse(endpoint)?.origin ?? 'an invalid address';
}
