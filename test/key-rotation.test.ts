import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintAccessToken } from '../src/auth/access-token.js';
import {
  loadOrCreateSigningKeys,
  publicKeys,
  rotateSigningKeys,
  SIGNING_KEYS_FILE,
  type SigningKeys,
} from '../src/auth/key-files.js';
import { LONGEST_SIGNED_TOKEN_SECONDS } from '../src/auth/owner-tokens.js';
import { providerConfiguration } from '../src/auth/provider-configuration.js';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, shopStoreDeps, startCounterpi } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { openShopStore } from '../src/services/operations/shop-guard.js';
import { mcpPost } from './helpers/mcp-post.js';
import { authorizationRequest, createBrowser, tunnelTo } from './helpers/oauth-browser.js';
import { runCli } from './helpers/run-cli.js';

const PUBLIC_URL = 'https://burgers.example.com';
const RESOURCE = `${PUBLIC_URL}/mcp`;
const REDIRECT = 'http://127.0.0.1:53682/callback';
const DAY_MS = 24 * 60 * 60 * 1000;
const clock = createManualClock(new Date());

const mint = (signingKeys: SigningKeys) =>
  mintAccessToken({
    publicUrl: PUBLIC_URL,
    signingKeys,
    subject: 'cus_rotation',
    scopes: ['menu:read', 'order:write'],
    clientId: 'test-client',
    now: clock.now(),
    ttlSeconds: 600,
  });

const verifyWith = (signingKeys: SigningKeys, token: string) =>
  jwtVerify(token, createLocalJWKSet(publicKeys(signingKeys)), {
    issuer: PUBLIC_URL,
    audience: RESOURCE,
    algorithms: ['ES256'],
    typ: 'at+jwt',
    currentDate: clock.now(),
  });

describe('counterpi keys rotate', () => {
  let dataDir: string;
  let before: SigningKeys;
  let after: SigningKeys;
  let oldToken: string;
  let app: Counterpi;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterpi-keys-'));
    // The shop's database comes first, as at a first start: keys without one are a lost shop.
    openShopStore(shopStoreDeps({ dataDir }, clock, createSilentLogger())).close();
    before = await loadOrCreateSigningKeys(dataDir);
    oldToken = await mint(before);
    const result = await runCli(['keys', 'rotate'], { DATA_DIR: dataDir, PUBLIC_URL });
    expect(result.stderr).toContain('Restart counterpi');
    expect(result.code).toBe(0);
    after = await loadOrCreateSigningKeys(dataDir);
    app = await startCounterpi(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', PUBLIC_URL, LOG_LEVEL: 'silent' }),
      {
        log: createSilentLogger(),
        clock,
      },
    );
  });
  afterAll(async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts a new signing key first, keeps the old one, and replaces the file privately and whole', () => {
    const oldKid = before.keys[0]?.kid;
    expect(after.keys.map((k) => k.kid)).toEqual([expect.not.stringMatching(`^${oldKid}$`), oldKid]);
    expect(statSync(join(dataDir, SIGNING_KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const file = JSON.parse(readFileSync(join(dataDir, SIGNING_KEYS_FILE), 'utf8')) as {
      retired: Record<string, string>;
    };
    expect(Object.keys(file.retired)).toEqual([oldKid]);
  });

  it('verifies tokens signed by the old key and by the new one with the rotated key set', async () => {
    await expect(verifyWith(after, oldToken)).resolves.toBeDefined();
    const newToken = await mint(after);
    expect(decodeProtectedHeader(newToken).kid).toBe(after.keys[0]?.kid);
    await expect(verifyWith(after, newToken)).resolves.toBeDefined();
    await expect(verifyWith(before, newToken)).rejects.toThrow();
  });

  it('restarted on the rotated keys, publishes both and signs new access tokens with the new kid', async () => {
    const tunnel = tunnelTo(app.url);
    const meta = (await (await tunnel(`${PUBLIC_URL}/.well-known/oauth-authorization-server`)).json()) as {
      jwks_uri: string;
    };
    const jwks = (await (await tunnel(meta.jwks_uri)).json()) as JSONWebKeySet;
    expect(jwks.keys.map((k) => k.kid)).toEqual(after.keys.map((k) => k.kid));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);

    const client = await oc.dynamicClientRegistration(
      new URL(PUBLIC_URL),
      { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
      oc.None(),
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    client[oc.customFetch] = tunnel as oc.CustomFetch;
    const browser = createBrowser(tunnel);
    const { verifier, state, url } = await authorizationRequest(client, REDIRECT);
    const signIn = await browser.go(url.href);
    const consent = await browser.submit(signIn, 0, { name: 'Rota Tion', phone: '+15555550123' });
    const back = await browser.submit(consent, 0);
    const tokens = await oc.authorizationCodeGrant(
      client,
      back.url,
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: RESOURCE },
    );
    expect(decodeProtectedHeader(tokens.access_token).kid).toBe(after.keys[0]?.kid);

    // /mcp accepts both: the token from before the rotation and the one the restarted server issued.
    for (const token of [oldToken, tokens.access_token]) {
      const res = await mcpPost(app.url, token, 'tools/list');
      expect(res.status).toBe(200);
    }
  });
});

describe('signing key retention', () => {
  it('drops a key once it has been retired longer than any token it signed can live', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-keys-retention-'));
    try {
      const retainSeconds = LONGEST_SIGNED_TOKEN_SECONDS;
      const first = (await loadOrCreateSigningKeys(dataDir)).keys[0]?.kid;
      const t0 = Date.now();
      const second = await rotateSigningKeys(dataDir, { now: new Date(t0), retainSeconds });
      expect(second).toEqual({ signing: expect.any(String), kept: [first], dropped: [] });
      // Just within the retention the first key stays; just past it, it goes.
      const within = new Date(t0 + retainSeconds * 1000);
      const third = await rotateSigningKeys(dataDir, { now: within, retainSeconds });
      expect(third.kept).toEqual([second.signing, first]);
      const past = new Date(t0 + retainSeconds * 1000 + 1000);
      const fourth = await rotateSigningKeys(dataDir, { now: past, retainSeconds });
      expect(fourth).toEqual({
        signing: expect.any(String),
        kept: [third.signing, second.signing],
        dropped: [first],
      });
      expect((await loadOrCreateSigningKeys(dataDir)).keys.map((k) => k.kid)).toEqual([
        fourth.signing,
        third.signing,
        second.signing,
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps keys at least as long as the authorization server lets its signed tokens live', () => {
    const { ttl } = providerConfiguration({
      publicUrl: PUBLIC_URL,
      adapter: () => {
        throw new Error('unused');
      },
      signingKeys: { keys: [] },
      cookieKeys: ['x'.repeat(32)],
      customers: {
        bySubject: () => undefined,
        register: () => ({ id: '', subject: '', name: '', phone: '' }),
      },
      cimdHosts: new Set(),
    });
    // Access and ID tokens are JWTs our keys sign; refresh tokens are opaque rows, signed by no key.
    for (const model of ['AccessToken', 'IdToken'] as const) {
      expect(typeof ttl?.[model]).toBe('number');
      expect(ttl?.[model]).toBeLessThanOrEqual(LONGEST_SIGNED_TOKEN_SECONDS);
    }
    expect(LONGEST_SIGNED_TOKEN_SECONDS).toBeGreaterThanOrEqual((365 * DAY_MS) / 1000);
  });
});
