import type { Context } from 'hono';
import type { BodyData } from 'hono/utils/body';
import { AppError } from '../domain/app-error.js';

/**
 * A posted form's fields, url-encoded or multipart: the one way every page reads a form. A body that
 * claims to be multipart and is not (no parts, a wrong boundary) is the sender's mistake and answers
 * 400 through the app's error mapping, never a 500. Hono keeps the parsed body, so a second read (the
 * owner shell reads the CSRF token first) costs nothing.
 */
export async function readFormBody(c: Context, options: { all?: boolean } = {}): Promise<BodyData> {
  try {
    return await c.req.parseBody(options);
  } catch (cause) {
    throw new AppError(
      'invalid_input',
      'The form could not be read: send it as application/x-www-form-urlencoded or multipart/form-data.',
      { cause },
    );
  }
}
