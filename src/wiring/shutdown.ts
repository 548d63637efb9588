import type { Logger } from '../platform/logger.js';

/** What a starting counterpi must undo: each part's stop, run in reverse of the order they started. */
export interface Shutdown {
  /** Runs `step` when stopping, before every step deferred earlier. */
  defer(step: () => Promise<void> | void): void;
  /** Runs the steps, newest first; a step that fails is logged and the rest still run. */
  run(): Promise<void>;
}

/** Creates an empty shutdown list. */
export function createShutdown(log: Logger): Shutdown {
  const steps: (() => Promise<void> | void)[] = [];
  return {
    defer(step) {
      steps.push(step);
    },
    async run() {
      while (steps.length > 0) {
        const step = steps.pop();
        try {
          await step?.();
        } catch (error) {
          log.error({ err: error }, 'error while stopping');
        }
      }
    },
  };
}
