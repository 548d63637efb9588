import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  type JSONRPCMessage,
  localhostAllowedHostnames,
  type McpServer,
  ProtocolErrorCode,
  type Server,
  validateHostHeader,
  validateOriginHeader,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { isAppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import type { CustomerIdentity } from '../services/orders/order-types.js';
import { parseJsonBody } from './json-body.js';
import type { PlainAnswer } from './request-frame.js';
import type { HeaderReader } from './request-headers.js';

// What the two MCP endpoints (/mcp and /acp/mcp) share: the Streamable HTTP checks and answers that
// come before any tool, and the SDK's own handling of every message neither answers itself.

/** Who calls /mcp and what their token allows: decided by the transport (the OAuth bearer token). */
export interface McpCaller extends CustomerIdentity {
  readonly scopes: readonly string[];
  /** The OAuth client the token was issued to, for the audit log. */
  readonly clientId?: string | undefined;
}

const JSON_CONTENT = { 'content-type': 'application/json' } as const;

/** JSON-RPC 2.0 §5.1's implementation-defined server error, as the SDK's own HTTP refusals use it. */
const SERVER_ERROR = -32000;

/**
 * A JSON-RPC 2.0 error message, naming the request's id when it is known, else `null` (§5: an error that
 * answers no single request; the SDK's message type leaves that case out).
 */
export function jsonRpcErrorMessage(
  id: string | number | null,
  code: number,
  message: string,
  data?: unknown,
): JSONRPCMessage {
  const error = { code, message, ...(data === undefined ? {} : { data }) };
  return { jsonrpc: '2.0', id, error } as JSONRPCMessage;
}

/** A JSON-RPC error as a plain answer. */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  extra: { id?: string | number | null; data?: unknown; headers?: Record<string, string> } = {},
): PlainAnswer {
  return {
    status,
    headers: { ...JSON_CONTENT, ...extra.headers },
    body: JSON.stringify(jsonRpcErrorMessage(extra.id ?? null, code, message, extra.data)),
  };
}

/** Stateless: no session to resume (GET) or end (DELETE). Streamable HTTP §GET allows 405. */
export const METHOD_NOT_ALLOWED = jsonRpcError(
  405,
  SERVER_ERROR,
  'Method not allowed: this endpoint is stateless; POST JSON-RPC messages.',
  { headers: { allow: 'POST' } },
);

/** Host names an MCP request may name: the public one and loopback (DNS-rebinding protection). */
export function mcpHosts(publicUrl: string): string[] {
  return [new URL(publicUrl).hostname, ...localhostAllowedHostnames()];
}

/**
 * Streamable HTTP §Security: the Host named, and a browser's Origin, must be the shop's or loopback
 * (the SDK's validators). A 403 JSON-RPC error, or undefined.
 */
export function hostOriginRefusal(header: HeaderReader, hosts: string[]): PlainAnswer | undefined {
  const host = validateHostHeader(header('host'), hosts);
  const origin = host.ok ? validateOriginHeader(header('origin'), hosts) : host;
  return origin.ok ? undefined : jsonRpcError(403, SERVER_ERROR, origin.message);
}

/** A POSTed body as JSON, or the 400 that refuses it: -32700 when it is not JSON, -32600 too deep. */
export function parseJsonRpc(text: string): { readonly body: unknown } | { readonly refusal: PlainAnswer } {
  try {
    return { body: parseJsonBody(text) };
  } catch (error) {
    if (error instanceof SyntaxError)
      return {
        refusal: jsonRpcError(
          400,
          ProtocolErrorCode.ParseError,
          'Parse error: the request body is not valid JSON.',
        ),
      };
    if (!isAppError(error, 'invalid_input')) throw error;
    return {
      refusal: jsonRpcError(400, ProtocolErrorCode.InvalidRequest, `Invalid Request: ${error.message}`),
    };
  }
}

/** The SDK's handling of a message: the 2026-07-28 handler, or a per-request 2025-era transport. */
export interface SdkMcpHandler {
  answer(request: Request, parsedBody: unknown, authInfo: AuthInfo): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Answers 2026-07-28 messages through the SDK's handler, and 2025-era ones (initialize, notifications,
 * batches) with a fresh server on a fresh stateless transport, closed after the request: no session
 * outlives it. Both in plain JSON, never an SSE stream: tunnels in front of a Pi often buffer or cut those.
 */
export function createSdkMcpHandler(serverFor: () => McpServer | Server, log: Logger): SdkMcpHandler {
  const modern = createMcpHandler(serverFor, {
    legacy: 'reject',
    responseMode: 'json',
    // A rejected request is the client's mistake: one short line, no stack, at debug level.
    onerror: (error) => log.debug({ reason: error.message }, 'mcp request rejected'),
  });
  async function legacy(request: Request, parsedBody: unknown, authInfo: AuthInfo): Promise<Response> {
    const server = serverFor();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { authInfo, parsedBody });
    } finally {
      await transport.close();
      await server.close();
    }
  }
  return {
    async answer(request, parsedBody, authInfo) {
      if (await isLegacyRequest(request, parsedBody)) return legacy(request, parsedBody, authInfo);
      return modern.fetch(request, { authInfo, parsedBody });
    },
    close: () => modern.close(),
  };
}

/** A web Response the SDK made, as a plain answer: its status, headers and whole body. */
export async function plainAnswerOf(response: Response): Promise<PlainAnswer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  return { status: response.status, headers, body: await response.text() };
}
