import { type Adapter, errors } from 'oidc-provider';
import type { AppError } from '../domain/app-error.js';

/**
 * The provider's storage, with the failures it cannot help named for the client: a write the full disk
 * refused (a session, a code, a token, a client) becomes OAuth's `temporarily_unavailable` (RFC 6749
 * §4.1.2.1) with 503 and the shop's words, instead of the provider's `server_error` 500 with a stack in
 * the log. `recognise` is the request frame's: one list of known conditions for every surface.
 */
export function guardAdapter(adapter: Adapter, recognise: (error: unknown) => AppError | undefined): Adapter {
  const named = (error: unknown): unknown => {
    const known = recognise(error);
    if (known === undefined) return error;
    const unavailable = new errors.TemporarilyUnavailable(known.message, { cause: error });
    unavailable.status = 503;
    unavailable.statusCode = 503;
    return unavailable;
  };
  const guarded =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw named(error);
      }
    };
  return {
    upsert: guarded(adapter.upsert.bind(adapter)),
    find: guarded(adapter.find.bind(adapter)),
    findByUserCode: guarded(adapter.findByUserCode.bind(adapter)),
    findByUid: guarded(adapter.findByUid.bind(adapter)),
    consume: guarded(adapter.consume.bind(adapter)),
    destroy: guarded(adapter.destroy.bind(adapter)),
    revokeByGrantId: guarded(adapter.revokeByGrantId.bind(adapter)),
  };
}
