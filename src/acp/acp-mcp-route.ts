import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/app.js';
import {
  createSdkMcpHandler,
  hostOriginRefusal,
  jsonRpcError,
  METHOD_NOT_ALLOWED,
  mcpHosts,
  parseJsonRpc,
} from '../http/mcp-transport.js';
import { readBodyText } from '../http/read-body.js';
import type { PlainAnswer } from '../http/request-frame.js';
import { bearerToken, requestHeaders } from '../http/request-headers.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import { acpError } from './acp-error.js';
import { ACP_ERROR_CODE, createAcpToolCall } from './acp-mcp-call.js';
import { createAcpMcpServer } from './acp-mcp-server.js';
import { createCheckoutOperations } from './checkout-operations.js';
import type { CheckoutRoutesDeps } from './checkout-routes.js';

/** Where the binding is served: apart from the REST paths and from the customers' /mcp. */
export const ACP_MCP_PATH = '/acp/mcp';

export interface AcpMcpRouteDeps extends CheckoutRoutesDeps {
  readonly version: string;
  /** Where every tool call is recorded. */
  readonly audit?: Pick<AuditLog, 'record' | 'recordSoon'>;
}

/** A plain answer through Hono's context. */
function send(c: Context<AppEnv>, answer: PlainAnswer): Response {
  return c.body(answer.body, answer.status as ContentfulStatusCode, answer.headers);
}

/**
 * Mounts the ACP MCP binding (docs/mcp-binding.md) at /acp/mcp: Streamable HTTP, stateless, plain JSON
 * answers, 2025-06-18 / 2025-11-25 clients through a per-request transport and 2026-07-28 ones through
 * the SDK's handler. Authentication is the transport's (binding §Header Mapping: out-of-band): the
 * same ACP API key as REST, as `Authorization: Bearer`.
 */
export function mountAcpMcp(app: Hono<AppEnv>, deps: AcpMcpRouteDeps): { close(): Promise<void> } {
  const call = createAcpToolCall({
    operations: createCheckoutOperations(deps),
    idempotency: deps.idempotency,
    savepoint: deps.savepoint,
    durableTransaction: deps.durableTransaction,
    log: deps.log,
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
  });
  const sdk = createSdkMcpHandler(() => createAcpMcpServer(call, deps.version), deps.log);
  const hosts = mcpHosts(deps.publicUrl);
  app.all(ACP_MCP_PATH, async (c) => {
    const header = requestHeaders(c);
    const refused = hostOriginRefusal(header, hosts);
    if (refused !== undefined) return send(c, refused);
    if (c.req.method !== 'POST') return send(c, METHOD_NOT_ALLOWED);
    const secret = bearerToken(header('authorization'));
    const key = secret === undefined ? undefined : deps.keys.verify(secret);
    if (key === undefined) {
      // RFC 6750 §3: a bearer key that was sent but refused is invalid_token; none sent, no error code.
      const unauthorized = acpError(
        401,
        'unauthorized',
        'Send a valid ACP API key as "Authorization: Bearer <key>"; the shop owner creates keys.',
      ).body;
      return send(
        c,
        jsonRpcError(401, ACP_ERROR_CODE, unauthorized.message, {
          data: unauthorized,
          headers: { 'www-authenticate': secret === undefined ? 'Bearer' : 'Bearer error="invalid_token"' },
        }),
      );
    }
    const parsed = parseJsonRpc(await readBodyText(c));
    if ('refusal' in parsed) return send(c, parsed.refusal);
    // The key's id, never its secret, is what the tools see.
    const authInfo: AuthInfo = { token: '', clientId: key.id, scopes: [] };
    return sdk.answer(c.req.raw, parsed.body, authInfo);
  });
  return { close: () => sdk.close() };
}
