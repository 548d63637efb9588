import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isPublicHttps } from './admin-request.js';

/** A one-time message for the next page the owner sees ("Order K7M2 is ready"). */
export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** Flash messages across a redirect (POST → 303 → GET), in a short-lived signed cookie. */
export interface AdminFlash {
  set(c: Context, flash: Flash): void;
  /** The message waiting for this page, removing it. */
  take(c: Context): Flash | undefined;
}

const COOKIE = 'cp_flash';
const MAX_TEXT = 300;

/** Creates the flash helper; `secret` signs the cookie so no other page can plant a message. */
export function createAdminFlash(deps: { readonly secret: string; readonly publicUrl: string }): AdminFlash {
  const sign = (value: string) =>
    createHmac('sha256', deps.secret).update(`counterpi-flash:${value}`).digest('base64url');
  return {
    set(c, flash) {
      const value = Buffer.from(
        JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, MAX_TEXT) }),
      ).toString('base64url');
      setCookie(c, COOKIE, `${value}.${sign(value)}`, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isPublicHttps(c, deps.publicUrl),
        path: '/admin',
        maxAge: 60,
      });
    },
    take(c) {
      const raw = getCookie(c, COOKIE);
      if (raw === undefined) return undefined;
      deleteCookie(c, COOKIE, { path: '/admin', secure: isPublicHttps(c, deps.publicUrl) });
      const [value = '', mac = ''] = raw.split('.');
      const expected = Buffer.from(sign(value));
      if (expected.length !== Buffer.byteLength(mac) || !timingSafeEqual(expected, Buffer.from(mac))) {
        return undefined;
      }
      try {
        const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Flash>;
        if ((parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string') {
          return { kind: parsed.kind, text: parsed.text };
        }
      } catch {
        // A damaged cookie shows nothing.
      }
      return undefined;
    },
  };
}
