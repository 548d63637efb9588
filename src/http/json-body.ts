import { MAX_JSON_DEPTH, nestsDeeperThan, tooDeep } from '../domain/json-depth.js';

/**
 * The one parse of a client's JSON request body (ACP REST, the ACP MCP binding, /mcp): `JSON.parse`,
 * then a depth check before any code walks the value, so no recursive walker downstream (idempotency
 * hash, masking, audit, the SDK's validation) meets a body deep enough to overflow the stack. The size
 * limit is the request frame's. Throws `SyntaxError` for text that is not JSON and
 * `AppError('invalid_input')` naming the whole body (`$`) for one nested too deep.
 */
export function parseJsonBody(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw tooDeep(MAX_JSON_DEPTH);
  return value;
}
