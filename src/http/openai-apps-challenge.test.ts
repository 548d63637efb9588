import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../platform/logger.js';
import { createHttpApp } from './app.js';
import { mountOpenAiAppsChallenge, OPENAI_APPS_CHALLENGE_PATH } from './openai-apps-challenge.js';

function appWith(token: string | undefined) {
  const app = createHttpApp({ log: createSilentLogger(), readiness: [] });
  mountOpenAiAppsChallenge(app, { token });
  return app;
}

// developers.openai.com/plugins/deploy/submission, domain verification: the exact token, nothing else.
describe('the domain-verification file of ChatGPT’s app submission', () => {
  it('answers exactly the configured token as uncached plain text', async () => {
    const res = await appWith('oai-Zx9_4kP.q81').request(OPENAI_APPS_CHALLENGE_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain\b/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('oai-Zx9_4kP.q81');
  });

  it('is not there when no token is configured', async () => {
    const res = await appWith(undefined).request(OPENAI_APPS_CHALLENGE_PATH);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/oai/);
  });
});
