import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { isAppError } from '../domain/app-error.js';
import { parseJsonBody } from '../http/json-body.js';
import { readBodyText } from '../http/read-body.js';

/** An RFC 7591 §3.2.2 error answer. */
export interface RegistrationRefusal {
  readonly error: 'invalid_client_metadata';
  readonly error_description: string;
}

/**
 * Dynamic client registration needs no sign-in, and oidc-provider walks the metadata it parses with
 * recursive code (10,000 nested arrays overflow its stack: a 500). So a JSON registration body goes
 * through the one bounded parse first. The text read is handed on as `req.body`, which the provider
 * reads when the stream is already consumed (it says so once in its log); it parses that text itself.
 */
export async function checkRegistrationBody(
  c: Context,
  incoming: IncomingMessage,
): Promise<RegistrationRefusal | undefined> {
  const type = incoming.headers['content-type'] ?? '';
  if (incoming.method !== 'POST' || !type.toLowerCase().startsWith('application/json')) return undefined;
  // Within the app's body limit, as every other body; the provider then applies its own.
  const text = await readBodyText(c);
  try {
    parseJsonBody(text);
  } catch (error) {
    const description = isAppError(error) ? error.message : 'The client metadata is not valid JSON.';
    return { error: 'invalid_client_metadata', error_description: description };
  }
  (incoming as IncomingMessage & { body?: string }).body = text;
  return undefined;
}
