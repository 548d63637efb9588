import { createHash } from 'node:crypto';

/**
 * Where an idempotency record is found: the first 16 bytes of SHA-256 over its scope and key. The unique
 * index holds these instead of the scope and key as text (an ACP scope names the key, the route and the
 * checkout session: 60–80 characters), so a page holds four times the entries and an insert rarely
 * splits one. 128 bits: two keys a shop meets never share it.
 */
export function idempotencyLookup(scope: string, key: string): Buffer {
  return createHash('sha256')
    .update(JSON.stringify([scope, key]))
    .digest()
    .subarray(0, 16);
}
