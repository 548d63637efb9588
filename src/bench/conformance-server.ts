import { isIP } from 'node:net';
import { loadConfig, readEnvironment } from '../config/config.js';
import { startCounterpi } from '../main.js';
import { createLogger } from '../platform/logger.js';

/**
 * The MCP conformance suite cannot send an Authorization header, so `scripts/conformance.sh` runs the
 * real app through this harness, which names every caller one fixed test customer instead of reading
 * a token. It refuses to listen anywhere but loopback. `scripts/conformance-auth.sh` runs it too: the
 * authorization server it tests is the product's, untouched.
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
  const stop = async () => {
    await app.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
