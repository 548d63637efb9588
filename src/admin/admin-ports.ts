import type { PrinterTarget } from '../config/config.js';
import type { OwnerSessionStore } from './admin-session.js';

/**
 * The owner's account as the admin pages need it; `src/store/owner-repo.ts` is the implementation
 * `main.ts` passes (surfaces never touch the store themselves).
 */
export interface OwnerAccounts extends OwnerSessionStore {
  account(): {
    readonly passwordHash: string | undefined;
    readonly onboardedAt: number | undefined;
  };
  /** Sets the first password; false when one is set already. */
  setFirstPassword(hash: string, nowMs: number): boolean;
  markOnboarded(nowMs: number): void;
  /** Forgets the password and ends every session (a forgotten password, docs/owner.md). */
  resetPassword(nowMs: number): void;
}

/** The kitchen printer as the owner chooses and tests it. */
export interface AdminPrinter {
  /** Where tickets go now: the owner's choice, else PRINTER. */
  current(): PrinterTarget;
  /** Sends tickets to `target` from now on, and remembers it across restarts. */
  choose(target: PrinterTarget): void;
  /** Prints a short test ticket on the current printer at once. */
  test(): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

/** One line of the dashboard's status panel (the optional components of `/ready`). */
export interface StatusLine {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}
