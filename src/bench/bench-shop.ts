import { mintAccessToken } from '../auth/access-token.js';
import { loadOrCreateAcpSigningRoot, loadOrCreateSigningKeys } from '../auth/key-files.js';
import { loadConfig } from '../config/config.js';
import { type Counterpi, startCounterpi } from '../main.js';
import { systemClock } from '../platform/clock.js';
import { timeOrderedIds } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { createAcpKeys } from '../services/checkout/acp-keys.js';
import { createAcpKeysRepo } from '../store/acp-keys-repo.js';

const OPEN_NOON = '2026-11-24T17:00:00Z';

/** The demo shop as the bench runs it, with an ACP key and a customer token to call it with. */
export interface BenchShop {
  readonly app: Counterpi;
  readonly acpKey: string;
  readonly token: string;
  /** How far the shop's clock runs ahead of this one (it is set to an open Tuesday noon). */
  readonly shiftMs: number;
}

/**
 * Starts counterpi on `dataDir` as production does (real sign-in, real store), with shop time running
 * from a Tuesday noon in the demo shop's time zone so the shop is open whenever the bench runs. The
 * printer is the simulated one unless `printer` names another (`PRINTER`, e.g. `tcp://127.0.0.1:9100`).
 */
export async function startBenchShop(dataDir: string, log: Logger, printer?: string): Promise<BenchShop> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    ...(printer === undefined ? {} : { PRINTER: printer }),
  });
  const shiftMs = Date.parse(OPEN_NOON) - Date.now();
  const app = await startCounterpi(config, {
    log,
    clock: { now: () => new Date(Date.now() + shiftMs) },
    // A shop without last night's backup takes one a minute after it starts. The bench takes it at
    // once, on the new shop's small file, so a copy of the whole database never lands among the
    // orders a scenario or the write budget measures (it added 11 KB to each of 225 orders when it did).
    backups: { catchUpDelayMs: 0 },
  });
  const acpKey = createAcpKeys({
    repo: createAcpKeysRepo({ store: app.store }),
    clock: systemClock,
    ids: timeOrderedIds,
    signingRoot: loadOrCreateAcpSigningRoot(dataDir),
  }).create('bench').secret;
  // A real customer token, so MCP calls include verifying it as production does.
  const token = await mintAccessToken({
    publicUrl: config.publicUrl,
    signingKeys: await loadOrCreateSigningKeys(dataDir),
    subject: 'bench-customer',
    scopes: ['menu:read', 'order:write'],
    clientId: 'counterpi-bench',
    now: new Date(Date.now() + shiftMs),
    ttlSeconds: 3600,
  });
  return { app, acpKey, token, shiftMs };
}
