import type { Hono } from 'hono';
import type { AppEnv } from './app.js';

/** Where ChatGPT's app submission looks for the shop's domain-verification token. */
export const OPENAI_APPS_CHALLENGE_PATH = '/.well-known/openai-apps-challenge';

/**
 * ChatGPT's plugin submission proves control of the MCP server's host by fetching the token its portal
 * issues from this path on that host; the answer must hold that token alone
 * (developers.openai.com/plugins/deploy/submission, domain verification). Served as plain text, never
 * cached by the tunnel, so a new token shows at once; with no token configured nothing is mounted and the
 * path answers 404 like any other.
 */
export function mountOpenAiAppsChallenge(app: Hono<AppEnv>, deps: { token: string | undefined }): void {
  const { token } = deps;
  if (token === undefined) return;
  app.get(OPENAI_APPS_CHALLENGE_PATH, (c) => c.text(token, 200, { 'Cache-Control': 'no-store' }));
}
