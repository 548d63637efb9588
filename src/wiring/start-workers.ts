import { isAppError } from '../domain/app-error.js';
import { type HttpServer, startHttpServer } from '../http/server.js';
import type { Logger } from '../platform/logger.js';
import type { Services } from './build-services.js';
import type { Surfaces } from './mount-surfaces.js';
import type { Shutdown } from './shutdown.js';
import type { Wiring } from './wiring.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** How often pending confirmations past their expiry are moved to expired. */
const EXPIRY_CHECK_MS = 15_000;

/**
 * Starts the timers, the kitchen, the webhook and print workers and the HTTP server, then what may come
 * up after it (backups, the tunnel check); each stops in reverse order at shutdown. Returns the server.
 */
export async function startWorkers(w: Wiring, surfaces: Surfaces): Promise<HttpServer> {
  const { services: s, config, shutdown } = w;
  const { log } = w.deps;
  every(HOUR_MS, shutdown, () => {
    s.idempotencyRepo.purgeExpired(s.clock.now().getTime());
    s.oauthStorage.purgeExpired();
  });
  every(EXPIRY_CHECK_MS, shutdown, () => expireConfirmations(s, log));
  every(MINUTE_MS, shutdown, () => s.dayCloser.check());
  s.clockWatch.start();
  shutdown.defer(() => s.clockWatch.stop());
  s.powerFlags.start();
  shutdown.defer(() => s.powerFlags.stop());
  await s.kitchenSignals.start();
  shutdown.defer(() => s.kitchenSignals.stop());
  s.webhookDelivery.start();
  shutdown.defer(() => s.webhookDelivery.stop());
  s.printQueue.start();
  shutdown.defer(() => s.printQueue.stop());
  // Runs after the server has closed: the "ready" pushes and emails under way finish before the store closes.
  shutdown.defer(() => s.notices.idle());
  const server: HttpServer = await startHttpServer({
    app: surfaces.app,
    host: config.host,
    port: config.port,
    handlers: { '/mcp': surfaces.mcp.handler },
  });
  shutdown.defer(() => server.close());
  // Before the server closes: open dashboards' event streams would hold its stop up.
  shutdown.defer(() => surfaces.ownerEvents.close());
  shutdown.defer(() => s.kitchenBoard.close());
  shutdown.defer(() => s.orderWatch.close());
  s.backups.start();
  shutdown.defer(() => s.backups.stop());
  // After listening, in the background: the tunnel may well connect after us.
  s.publicUrlCheck.start();
  shutdown.defer(() => s.publicUrlCheck.stop());
  if (!['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
    log.warn(
      { host: config.host },
      'listening beyond loopback: the tunnel is the only public entrance counterpi expects',
    );
  }
  log.info(
    { url: server.url, public_url: config.publicUrl, data_dir: config.dataDir },
    'counterpi is serving',
  );
  return server;
}

/** Runs `task` every `ms` (without holding the process up) until shutdown. */
function every(ms: number, shutdown: Shutdown, task: () => void): void {
  const timer = setInterval(task, ms);
  timer.unref();
  shutdown.defer(() => clearInterval(timer));
}

function expireConfirmations(s: Pick<Services, 'confirmations'>, log: Logger): void {
  try {
    const expired = s.confirmations.expireDue();
    if (expired > 0) log.info({ expired }, 'confirmation requests expired');
  } catch (error) {
    // A full disk is the storage state's to log, once a minute.
    if (!isAppError(error, 'storage_full'))
      log.error({ err: error }, 'expiring confirmation requests failed');
  }
}
