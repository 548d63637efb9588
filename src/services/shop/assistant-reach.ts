import { isLoopbackUrl } from '../operations/public-url-check.js';

/** Whether assistants can reach the shop, in the owner's words: one answer for every page that says so. */
export interface AssistantReach {
  /** ok: they can; warn: for now, or not known yet; bad: they cannot. */
  readonly tone: 'ok' | 'warn' | 'bad';
  /** One sentence for a status line. */
  readonly words: string;
}

const QUICK_TUNNEL = /\.trycloudflare\.com$/i;
const NOT_CHECKED = 'not checked yet';

/**
 * Decides from PUBLIC_URL and the public address self-check (the `tunnel` line of `/ready`): an address
 * only this machine has is never "OK", whatever the self-check skipped.
 */
export function assistantReach(
  publicUrl: string,
  check: { readonly ok: boolean; readonly detail: string },
): AssistantReach {
  if (isLoopbackUrl(publicUrl)) {
    return {
      tone: 'bad',
      words: `Not set up: the shop's address is this device (${publicUrl}), so no assistant can reach it. Set up a public address on the Connect page.`,
    };
  }
  if (check.detail === NOT_CHECKED) {
    return { tone: 'warn', words: `Checking that assistants can reach ${publicUrl}…` };
  }
  if (!check.ok) {
    return {
      tone: 'bad',
      words: `Assistants cannot reach ${publicUrl} right now (${check.detail}). Is the tunnel running?`,
    };
  }
  if (QUICK_TUNNEL.test(new URL(publicUrl).hostname)) {
    return {
      tone: 'warn',
      words: `Reachable for now at ${publicUrl}, a temporary address: it changes whenever the tunnel restarts, and connectors added with the old one stop working. Set up a named tunnel for the shop.`,
    };
  }
  return { tone: 'ok', words: `Assistants can reach the shop at ${publicUrl}.` };
}
