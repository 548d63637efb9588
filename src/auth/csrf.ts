import { createHmac, timingSafeEqual } from 'node:crypto';

/** CSRF tokens for the interaction forms: an HMAC of the interaction id under a server key. */
export interface Csrf {
  token(interactionId: string): string;
  valid(interactionId: string, token: unknown): boolean;
}

/** Creates the token maker; `key` is a server secret (derived from the cookie key). */
export function createCsrf(key: string): Csrf {
  const token = (interactionId: string) =>
    createHmac('sha256', key).update(`csrf:${interactionId}`).digest('base64url');
  return {
    token,
    valid(interactionId, candidate) {
      if (typeof candidate !== 'string') return false;
      const expected = Buffer.from(token(interactionId));
      const given = Buffer.from(candidate);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
