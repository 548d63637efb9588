import type { Config } from '../config/config.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { OrderGate } from '../services/operations/order-gate.js';
import type { CounterpiDeps } from './counterpi-deps.js';
import type { OpenStore } from './open-store.js';

/**
 * What the services are built over: the store, and in a running shop its disk watch (without it no
 * order is refused for a full disk) and its audit thread (without it rows of reads are written in place).
 */
export type ServiceStore = Pick<OpenStore, 'store'> & Partial<Pick<OpenStore, 'storage' | 'auditWriter'>>;

/** What each step of building the services is given. */
export interface BuildContext extends ServiceStore {
  readonly config: Config;
  readonly deps: CounterpiDeps;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly log: Logger;
  /** What every use case that takes an order asks first (src/services/operations/order-gate.ts). */
  readonly gate: OrderGate;
}
