import { existsSync, rmSync } from 'node:fs';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { OwnerAccounts } from './admin-ports.js';
import { hashPassword, type ScryptCost } from './owner-password.js';

/** The file whose presence at start-up clears a forgotten owner password (README). */
export const PASSWORD_RESET_FILE = 'reset-owner-password';

/**
 * At start-up: a reset file in DATA_DIR (only someone with a shell on the Pi can put it there) clears the
 * owner password and ends every session; then ADMIN_PASSWORD becomes the password when none is set.
 * Without either, the owner sets one on the onboarding page, from the shop's own network.
 */
export async function prepareOwnerPassword(deps: {
  readonly owners: Pick<OwnerAccounts, 'account' | 'setFirstPassword' | 'resetPassword'>;
  readonly adminPassword: string | undefined;
  /** DATA_DIR/reset-owner-password. */
  readonly resetFile: string;
  /** The scrypt cost of the hash stored for ADMIN_PASSWORD. */
  readonly cost: ScryptCost;
  readonly clock: Clock;
  readonly log: Logger;
}): Promise<void> {
  const now = () => deps.clock.now().getTime();
  if (existsSync(deps.resetFile)) {
    deps.owners.resetPassword(now());
    rmSync(deps.resetFile, { force: true });
    deps.log.warn('owner password cleared by the reset file: set a new one at /admin from the shop network');
  }
  if (deps.owners.account().passwordHash !== undefined || deps.adminPassword === undefined) return;
  if (deps.owners.setFirstPassword(await hashPassword(deps.adminPassword, deps.cost), now())) {
    deps.log.info('owner password set from ADMIN_PASSWORD');
  }
}
