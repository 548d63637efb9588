// A second process holding a promo code on the same database file: it opens the store, says "ready",
// waits for "go" on stdin, holds the code for its order and prints the outcome as one JSON line.
import { openStore } from '../../src/store/database.js';
import { createOffersRepo } from '../../src/store/offers-repo.js';

const [file, codeId, orderId, subject] = process.argv.slice(2) as [string, string, string, string];
const store = openStore({ file, busyTimeoutMs: 5000 });
const repo = createOffersRepo({ store });
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const outcome = store.transaction(() =>
    repo.claim({ codeId, orderId, subject, atMs: Date.now() }, { total: 1 }),
  );
  process.stdout.write(`${JSON.stringify({ outcome })}\n`);
  store.close();
  process.exit(0);
});
