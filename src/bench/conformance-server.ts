import { isIP } from 'node:net';
import { loadOrCreateAcpSigningRoot } from '../auth/key-files.js';
import { loadConfig, readEnvironment } from '../config/config.js';
import { startCounterpi } from '../main.js';
import { systemClock } from '../platform/clock.js';
import { timeOrderedIds } from '../platform/ids.js';
import { createLogger } from '../platform/logger.js';
import { createAcpKeys } from '../services/checkout/acp-keys.js';
import { createAcpKeysRepo } from '../store/acp-keys-repo.js';
import type { Store } from '../store/database.js';
import { startBearerProxy } from './bearer-proxy.js';

/**
 * The MCP conformance suite cannot send an Authorization header, so `scripts/conformance.sh` runs the
 * real app through this harness, which names every /mcp caller one fixed test customer instead of
 * reading a token. For /acp/mcp, which takes an ACP API key, it creates a key as
 * `counterpi acp-key create` does and, when CONFORMANCE_ACP_PORT names a port, serves a loopback front
 * there that adds the key to every request: the binding's own authentication still runs. It refuses
 * to listen anywhere but loopback. `scripts/conformance-auth.sh` runs it too: the authorization server
 * it tests is the product's, untouched.
 */
async function main(): Promise<void> {
  const config = loadConfig(readEnvironment(process.env, process.cwd()));
  if (!(config.host === 'localhost' || (isIP(config.host) !== 0 && /^(127\.|::1$)/.test(config.host)))) {
    throw new Error('the conformance harness listens on loopback only');
  }
  const log = createLogger({ level: config.logLevel });
  const app = await startCounterpi(config, {
    log,
    resolveCustomer: () => ({ subject: 'conformance-suite', scopes: ['menu:read', 'order:write'] }),
  });
  const acpPort = process.env.CONFORMANCE_ACP_PORT;
  const front =
    acpPort === undefined || acpPort === ''
      ? undefined
      : await startBearerProxy(new URL(app.url), acpKeySecret(app.store, config.dataDir), Number(acpPort));
  const stop = async () => {
    front?.close();
    await app.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A fresh ACP API key's secret; it stays in this process. */
function acpKeySecret(store: Store, dataDir: string): string {
  return createAcpKeys({
    repo: createAcpKeysRepo({ store }),
    clock: systemClock,
    ids: timeOrderedIds,
    signingRoot: loadOrCreateAcpSigningRoot(dataDir),
  }).create('MCP conformance suite').secret;
}

await main();
