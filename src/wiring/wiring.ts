import type { Config } from '../config/config.js';
import type { Services } from './build-services.js';
import type { CounterpiDeps } from './counterpi-deps.js';
import type { OpenStore } from './open-store.js';
import type { Shutdown } from './shutdown.js';

/** What mounting the surfaces and starting the workers are given: the services and how to stop them. */
export interface Wiring {
  readonly opened: OpenStore;
  readonly services: Services;
  readonly config: Config;
  readonly deps: CounterpiDeps;
  readonly shutdown: Shutdown;
  /** counterpi's version, as the MCP servers announce it. */
  readonly version: string;
}
