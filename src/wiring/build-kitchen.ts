import { join } from 'node:path';
import { parsePrinterChoice } from '../admin/printer-choice.js';
import { orderPageUrl } from '../http/order-page-routes.js';
import { createKitchenBoard } from '../services/kitchen/kitchen-board.js';
import { createKitchenDevices } from '../services/kitchen/kitchen-devices.js';
import { createKitchenSignals } from '../services/kitchen/kitchen-signals.js';
import { createPrintQueue } from '../services/kitchen/print-queue.js';
import { createStations } from '../services/kitchen/stations.js';
import type { MenuCache } from '../services/menu/menu-cache.js';
import { createBackupKeys } from '../services/operations/backup-encryption.js';
import { createBackupPlaces } from '../services/operations/backup-places.js';
import { createBackups } from '../services/operations/backups.js';
import { createOffCardCopies } from '../services/operations/off-card-copies.js';
import { createPublicUrlCheck, isReservedExampleUrl } from '../services/operations/public-url-check.js';
import { readQuickTunnelUrl } from '../services/operations/quick-tunnel.js';
import { orderChannel } from '../services/orders/order-channel.js';
import type { OrderEvents } from '../services/orders/order-events.js';
import type { OrderService } from '../services/orders/order-service.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { createKitchenBoardRepo } from '../store/kitchen-board-repo.js';
import { createKitchenDevicesRepo } from '../store/kitchen-devices-repo.js';
import { createKitchenQueueRepo } from '../store/kitchen-queue-repo.js';
import type { OrdersRepo } from '../store/orders-repo.js';
import type { OwnerRepo } from '../store/owner-repo.js';
import { createPrintJobsRepo } from '../store/print-jobs-repo.js';
import type { SettingsRepo } from '../store/settings-repo.js';
import { createStationsRepo } from '../store/stations-repo.js';
import type { BuildContext } from './build-context.js';
import { gpioPort, printerPort, switchablePrinter } from './ports.js';

/** The kitchen printer's queue and the LED, buzzer, bump button and open/closed switch. */
export function buildKitchen(
  at: BuildContext,
  core: {
    readonly shop: ShopService;
    readonly menu: MenuCache;
    readonly settings: SettingsRepo;
    readonly ordersRepo: OrdersRepo;
    readonly ownerRepo: OwnerRepo;
  },
  ordering: { readonly orders: OrderService; readonly orderEvents: OrderEvents },
) {
  const { store, clock, config, log } = at;
  const { shop, orders, orderEvents } = { ...core, ...ordering };
  // The printer the owner chose during onboarding (kept in the database), else PRINTER.
  const printer = switchablePrinter(
    parsePrinterChoice(core.ownerRepo.account().printer) ?? config.printer,
    config.dataDir,
  );
  const stations = createStationsRepo({ store });
  const printQueue = createPrintQueue({
    store,
    jobs: createPrintJobsRepo({ store }),
    orders: { get: (id) => core.ordersRepo.get(id), apply: orders.transitionById },
    printer,
    stations,
    // A station's printer: the same choices as the main one; a simulated one writes DATA_DIR/tickets too.
    stationPrinter: (choice) => {
      const target = parsePrinterChoice(choice);
      return target === undefined ? undefined : printerPort(target, config.dataDir);
    },
    shop,
    menu: core.menu,
    orderUrl: (orderId) => orderPageUrl(config.publicUrl, orderId),
    staffEntered: (order) => orderChannel(core.ordersRepo, order) === 'staff',
    clock,
    log,
    orderEvents,
    ...at.deps.printing,
  });
  const kitchenSignals = createKitchenSignals({
    openGpio: () => gpioPort(config, at.deps),
    pins: shop.settings().gpio,
    queue: createKitchenQueueRepo({ store }),
    orders,
    pause: {
      paused: () => shop.settings().pausedByOwner,
      set(paused) {
        core.settings.saveSection('pausedByOwner', paused);
        shop.refresh();
      },
    },
    // The long press reprints through the print queue; its printer state decides what counts as in the kitchen.
    printer: { reprint: printQueue.reprint, online: () => printQueue.health().ok },
    clock,
    log: log.child({ module: 'kitchen' }),
    orderEvents,
  });
  const kitchenStations = createStations({
    store,
    repo: stations,
    menu: () => core.menu.index(),
    clock,
    changed: () => printQueue.stationsChanged(),
  });
  // The kitchen screen's cards are frozen in the paying transaction, split as the station tickets are.
  const kitchenBoard = createKitchenBoard({
    store,
    repo: createKitchenBoardRepo({ store }),
    stations,
    menu: () => core.menu.index(),
    orders,
    orderEvents,
    clock,
    order: (id) => core.ordersRepo.get(id),
    channel: (order) => orderChannel(core.ordersRepo, order),
    formatTime: (instant) => shop.formatTime(instant),
  });
  const kitchenDevices = createKitchenDevices({ repo: createKitchenDevicesRepo({ store }), clock });
  return { printer, printQueue, kitchenSignals, kitchenStations, kitchenBoard, kitchenDevices };
}

/**
 * Nightly backups of the running store into DATA_DIR/backups, copied off the card to the places the owner chose, and
 * the self-check of PUBLIC_URL through the tunnel.
 */
export function buildOperations(
  at: BuildContext,
  core: { readonly shop: ShopService; readonly settings: SettingsRepo },
) {
  const { config, deps, log } = at;
  const backupsDir = join(config.dataDir, 'backups');
  const { drives, ...timings } = deps.backups ?? {};
  const keys = createBackupKeys(config.dataDir);
  const backupPlaces = createBackupPlaces({
    dataDir: config.dataDir,
    usbDir: config.backupUsbDir,
    roots: drives,
    keys,
    settings: () => core.shop.settings().backups,
    save(settings) {
      core.settings.saveSection('backups', settings);
      core.shop.refresh();
    },
  });
  const backupLog = log.child({ module: 'backups' });
  const backups = createBackups({
    store: at.store,
    dir: backupsDir,
    clock: at.clock,
    calendar: () => core.shop.calendar(),
    log: backupLog,
    offCard: createOffCardCopies({
      backupsDir,
      targets: () => backupPlaces.targets(),
      keys,
      clock: at.clock,
      log: backupLog,
      keep: timings.keep ?? 7,
    }),
    ...timings,
  });
  const publicUrlCheck = createPublicUrlCheck({
    publicUrl: config.publicUrl,
    fetch: (input, init) => fetch(input, init),
    quickTunnel: () => readQuickTunnelUrl({ fetch: (input, init) => fetch(input, init) }),
    log: log.child({ module: 'tunnel' }),
    // An example domain (the tests' PUBLIC_URL) is never looked up unless a test routes it itself.
    skip:
      deps.publicUrlCheck?.fetch === undefined && isReservedExampleUrl(config.publicUrl)
        ? `PUBLIC_URL ${config.publicUrl} is a reserved example name: no tunnel to check`
        : undefined,
    ...deps.publicUrlCheck,
  });
  return { backups, backupsDir, backupPlaces, publicUrlCheck };
}
