import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../platform/clock.js';
import { isPublicHttps } from './admin-request.js';

/** The owner's session cookie: HttpOnly, SameSite=Strict, Path=/admin, Secure over HTTPS. */
export const SESSION_COOKIE = 'cp_owner';
/** A session ends 12 hours after it was last used. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** The stored expiry moves at most once a minute: no SD-card write on every page. */
const SLIDE_STEP_MS = 60_000;
/** 256 random bits, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Where sessions are kept (src/store/owner-repo.ts): only a hash of each id. */
export interface OwnerSessionStore {
  insertSession(idHash: string, createdAt: number, expiresAt: number): void;
  session(idHash: string, nowMs: number): { readonly expiresAt: number } | undefined;
  extendSession(idHash: string, expiresAt: number): void;
  deleteSession(idHash: string): void;
  purgeSessions(nowMs: number): number;
}

/** Owner sessions: started at login, read on every owner page, ended at logout or after 12 idle hours. */
export interface OwnerSessions {
  /** Starts a session: a new random id in the cookie, its hash in the store. Returns the id. */
  start(c: Context): string;
  /** The session id the request's cookie names, when it is live; slides its expiry. */
  current(c: Context): string | undefined;
  /** Ends the request's session, here and in the browser. */
  end(c: Context): void;
}

function hashOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** Creates the session keeper over its store. */
export function createOwnerSessions(deps: {
  readonly store: OwnerSessionStore;
  readonly clock: Clock;
  readonly publicUrl: string;
}): OwnerSessions {
  const { store, clock } = deps;
  const now = () => clock.now().getTime();
  const writeCookie = (c: Context, id: string) =>
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: isPublicHttps(c, deps.publicUrl),
      path: '/admin',
      maxAge: SESSION_IDLE_MS / 1000,
    });

  return {
    start(c) {
      const at = now();
      store.purgeSessions(at);
      const id = randomBytes(32).toString('base64url');
      store.insertSession(hashOf(id), at, at + SESSION_IDLE_MS);
      writeCookie(c, id);
      return id;
    },
    current(c) {
      const id = getCookie(c, SESSION_COOKIE);
      if (id === undefined || !SESSION_ID.test(id)) return undefined;
      const at = now();
      const session = store.session(hashOf(id), at);
      if (session === undefined) return undefined;
      if (at + SESSION_IDLE_MS - session.expiresAt >= SLIDE_STEP_MS) {
        store.extendSession(hashOf(id), at + SESSION_IDLE_MS);
        writeCookie(c, id);
      }
      return id;
    },
    end(c) {
      const id = getCookie(c, SESSION_COOKIE);
      if (id !== undefined && SESSION_ID.test(id)) store.deleteSession(hashOf(id));
      deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: isPublicHttps(c, deps.publicUrl) });
    },
  };
}
