import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkedAddresses, type ReceiverPolicy, type ResolveHost } from './receiver-address.js';

/** How a webhook (or Web Push) POST is sent: fetch's shape, so a test may pass its own. */
export type WebhookFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A webhook POST that reaches only addresses the policy allows: the host name is resolved and every
 * address checked (checkedAddresses), and the connection goes to the checked address itself, so a
 * resolver that answers differently a moment later (DNS rebinding) is never asked again. A new
 * connection for every request: no kept-alive socket outlives the check that opened it.
 */
export function createCheckedFetch(deps: { receivers: ReceiverPolicy; resolve?: ResolveHost }): WebhookFetch {
  return async (url, init) => {
    const target = new URL(url);
    const [first] = await checkedAddresses(target, deps.receivers, deps.resolve);
    if (first === undefined) throw new Error(`${target.hostname} has no address`);
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all === true) callback(null, [first]);
      else callback(null, first.address, first.family);
    };
    return post(target, init, pinned);
  };
}

function post(target: URL, init: RequestInit, pinned: LookupFunction): Promise<Response> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: init.method ?? 'POST',
        headers: Object.fromEntries(new Headers(init.headers).entries()),
        lookup: pinned,
        agent: false,
        ...(init.signal === null || init.signal === undefined ? {} : { signal: init.signal }),
      },
      (response) => {
        // Only the status matters: the body is read and dropped.
        response.resume();
        response.once('error', reject);
        const status = response.statusCode ?? 0;
        // Response takes 200–599; anything else is no answer a receiver meant.
        const shown = status >= 200 && status <= 599 ? status : 502;
        response.once('end', () => resolve(new Response(null, { status: shown })));
      },
    );
    request.once('error', reject);
    // Text (a webhook's JSON) or bytes (an encrypted Web Push message).
    const body = init.body;
    request.end(typeof body === 'string' || body instanceof Uint8Array ? body : undefined);
  });
}
