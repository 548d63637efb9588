import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isPublicHttps } from './admin-request.js';

/** The form field every owner form carries its token in. */
export const CSRF_FIELD = 'csrf';
/** A random id for a browser with no session yet (login, first onboarding page). */
const BROWSER_COOKIE = 'cp_owner_pre';
const BROWSER_ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * CSRF tokens for the owner's forms: an HMAC under a server secret of the session id (every page behind
 * the login), or of a per-browser cookie id before there is a session. A cross-site page can neither read
 * the token nor make it, and the cookies are SameSite=Strict besides.
 */
export interface AdminCsrf {
  forSession(sessionId: string): string;
  validForSession(sessionId: string, token: unknown): boolean;
  /** The token for this browser's pre-session id, setting the id's cookie when it has none. */
  forBrowser(c: Context): string;
  validForBrowser(c: Context, token: unknown): boolean;
}

/** Creates the token maker; `secret` is a server key (derived from the cookie keys in DATA_DIR). */
export function createAdminCsrf(deps: { readonly secret: string; readonly publicUrl: string }): AdminCsrf {
  const mac = (purpose: string, id: string) =>
    createHmac('sha256', deps.secret).update(`counterpi-admin:${purpose}:${id}`).digest('base64url');
  const same = (expected: string, token: unknown) => {
    if (typeof token !== 'string') return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const browserId = (c: Context) => {
    const id = getCookie(c, BROWSER_COOKIE);
    return id !== undefined && BROWSER_ID.test(id) ? id : undefined;
  };

  return {
    forSession: (sessionId) => mac('session', sessionId),
    validForSession: (sessionId, token) => same(mac('session', sessionId), token),
    forBrowser(c) {
      let id = browserId(c);
      if (id === undefined) {
        id = randomBytes(24).toString('base64url');
        setCookie(c, BROWSER_COOKIE, id, {
          httpOnly: true,
          sameSite: 'Strict',
          secure: isPublicHttps(c, deps.publicUrl),
          path: '/admin',
        });
      }
      return mac('browser', id);
    },
    validForBrowser(c, token) {
      const id = browserId(c);
      return id !== undefined && same(mac('browser', id), token);
    },
  };
}
