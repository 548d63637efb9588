import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { isPublicHttps } from './admin-request.js';

/** The tablet's device cookie: HttpOnly, SameSite=Strict, Path=/kitchen (it opens no owner page), Secure over HTTPS. */
export const DEVICE_COOKIE = 'cp_kitchen';
/** Browsers keep a cookie at most 400 days; the device's session lasts until the owner revokes it. */
const DEVICE_COOKIE_DAYS = 400;

/** Puts a device session in this browser's cookie jar (after pairing, or the owner opening the screen). */
export function setDeviceCookie(c: Context, token: string, publicUrl: string): void {
  setCookie(c, DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isPublicHttps(c, publicUrl),
    path: '/kitchen',
    maxAge: DEVICE_COOKIE_DAYS * 86_400,
  });
}
