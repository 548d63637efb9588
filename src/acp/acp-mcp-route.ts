import {
  type AuthInfo,
  createMcpHandler,
  hostHeaderValidationResponse,
  isLegacyRequest,
  localhostAllowedHostnames,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import { isAppError } from '../domain/app-error.js';
import type { AppEnv } from '../http/app.js';
import { parseJsonBody } from '../http/json-body.js';
import { readBodyText } from '../http/read-body.js';
import { bearerToken } from '../http/request-headers.js';
import { statelessLegacyHandler } from '../mcp/stateless-legacy.js';
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

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  extra: { data?: unknown; headers?: Record<string, string> } = {},
): Response {
  const error = { code, message, ...(extra.data === undefined ? {} : { data: extra.data }) };
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error }), {
    status,
    headers: { 'content-type': 'application/json', ...extra.headers },
  });
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
  const serverFor = () => createAcpMcpServer(call, deps.version);
  const modern = createMcpHandler(serverFor, {
    legacy: 'reject',
    responseMode: 'json',
    onerror: (error) => deps.log.debug({ reason: error.message }, 'acp mcp request rejected'),
  });

  const legacy = statelessLegacyHandler(serverFor);

  // DNS-rebinding and cross-site protection: the public host name and loopback only.
  const hosts = [new URL(deps.publicUrl).hostname, ...localhostAllowedHostnames()];
  app.all(ACP_MCP_PATH, async (c) => {
    const refused =
      hostHeaderValidationResponse(c.req.raw, hosts) ?? originValidationResponse(c.req.raw, hosts);
    if (refused !== undefined) return refused;
    if (c.req.method !== 'POST') {
      // Stateless: no session to resume (GET) or end (DELETE). Streamable HTTP §GET allows 405.
      return jsonRpcError(405, -32000, 'Method not allowed: this endpoint is stateless; POST JSON-RPC.', {
        headers: { allow: 'POST' },
      });
    }
    const secret = bearerToken(c.req.header('authorization'));
    const key = secret === undefined ? undefined : deps.keys.verify(secret);
    if (key === undefined) {
      // RFC 6750 §3: a bearer key that was sent but refused is invalid_token; none sent, no error code.
      const unauthorized = acpError(
        401,
        'unauthorized',
        'Send a valid ACP API key as "Authorization: Bearer <key>"; the shop owner creates keys.',
      ).body;
      return jsonRpcError(401, ACP_ERROR_CODE, unauthorized.message, {
        data: unauthorized,
        headers: {
          'www-authenticate': secret === undefined ? 'Bearer' : 'Bearer error="invalid_token"',
        },
      });
    }
    let parsedBody: unknown;
    try {
      parsedBody = parseJsonBody(await readBodyText(c));
    } catch (error) {
      if (error instanceof SyntaxError) {
        return jsonRpcError(400, -32700, 'Parse error: the request body is not valid JSON.');
      }
      if (isAppError(error, 'invalid_input'))
        return jsonRpcError(400, -32600, `Invalid Request: ${error.message}`);
      throw error;
    }
    // The key's id, never its secret, is what the tools see.
    const authInfo: AuthInfo = { token: '', clientId: key.id, scopes: [] };
    if (await isLegacyRequest(c.req.raw, parsedBody)) return legacy(c.req.raw, authInfo, parsedBody);
    return modern.fetch(c.req.raw, { authInfo, parsedBody });
  });
  return { close: () => modern.close() };
}
