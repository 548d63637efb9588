import type { AffiliateAttribution, AttributionTouch } from '../domain/affiliate-attribution.js';
import type { Store } from './database.js';

/** Writes `affiliate_attributions`: the ACP attribution claims of checkout sessions and their orders. */
export interface AttributionRepo {
  /**
   * Keeps a session's claim for one touch, unless it has one: the first valid claim wins and later ones
   * are ignored (affiliate attribution RFC §7.3, §7.6), so a replayed request never writes twice.
   */
  record(sessionId: string, touch: AttributionTouch, claim: AffiliateAttribution, at: Date): void;
  /** Ties every claim of a session to the order it completed into (RFC §4.3.2: "alongside the resulting order"). */
  attachOrder(sessionId: string, orderId: string): void;
}

/** Creates the attribution repository over an open store. */
export function createAttributionRepo({ store }: { store: Store }): AttributionRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO affiliate_attributions (checkout_session_id, touchpoint, provider, data, recorded_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (checkout_session_id, touchpoint) DO NOTHING`,
  );
  const attach = db.prepare('UPDATE affiliate_attributions SET order_id = ? WHERE checkout_session_id = ?');
  return {
    record(sessionId, touch, claim, at) {
      insert.run(sessionId, touch, claim.provider, JSON.stringify(claim), at.getTime());
    },
    attachOrder(sessionId, orderId) {
      attach.run(orderId, sessionId);
    },
  };
}
