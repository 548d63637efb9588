import type { Store } from './database.js';

/** The kinds of data the server caches and another process (the CLI) may change. */
export type ChangeSubject = 'catalog' | 'owner_tokens' | 'acp_keys' | 'revoked_grants' | 'offers';

/** How soon a cache sees a change another process (the CLI) or another connection made. */
export const EXTERNAL_CHECK_MS = 250;

/**
 * Reads how often one kind of data changed (migration 17: triggers count every row change, from any
 * connection), at most every `everyMs`: between checks a cache asks only a clock. The answer moves
 * for this connection's own writes too, so a cache rereads once after those as well.
 */
export function changeCounter(store: Store, subject: ChangeSubject, everyMs: number): () => number {
  const read = store.db.prepare('SELECT changes FROM change_counts WHERE subject = ?').pluck();
  let seen = read.get(subject) as number;
  let checkedAt = performance.now();
  return () => {
    const now = performance.now();
    if (now - checkedAt >= everyMs) {
      checkedAt = now;
      seen = read.get(subject) as number;
    }
    return seen;
  };
}
