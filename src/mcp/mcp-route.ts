import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuthInfo,
  createMcpHandler,
  isJSONRPCRequest,
  isLegacyRequest,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAppError } from '../domain/app-error.js';
import type { HttpApp } from '../http/app.js';
import { errorBody } from '../http/error-response.js';
import { parseJsonBody } from '../http/json-body.js';
import { passBodyOn, readBodyStream, readBodyText } from '../http/read-body.js';
import { type PlainAnswer, writePlainAnswer } from '../http/request-frame.js';
import { nodeHeaderReader, requestHeaders } from '../http/request-headers.js';
import type { NodeLane } from '../http/server.js';
import type { CustomerIdentity } from '../services/orders/order-types.js';
import { answerWithin, LATE_ANSWER, MCP_ANSWER_TIMEOUT_MS } from './answer-timeout.js';
import { jsonRpcError, paramsRefusal } from './json-rpc-refusal.js';
import { createLegacyDispatcher } from './legacy-dispatcher.js';
import type { McpAudit, McpAuditedRequest } from './mcp-audit.js';
import { createCounterpiMcpServer } from './mcp-server.js';
import { createMenuFastPath } from './menu-fast-path.js';
import { createSchemaJsonCache } from './schema-json-cache.js';
import { statelessLegacyHandler } from './stateless-legacy.js';
import type { ToolContext } from './tool-context.js';

/** Reads one request header (case-insensitive). */
export type HeaderOf = (name: string) => string | undefined;

/** Who is calling and what their token allows. */
export interface McpCaller extends CustomerIdentity {
  readonly scopes: readonly string[];
  /** The OAuth client the token was issued to, for the audit log. */
  readonly clientId?: string | undefined;
}

/** Who is calling: decided by the transport (the OAuth bearer token), never by a tool argument. */
export type CustomerResolver = (header: HeaderOf) => McpCaller | undefined | Promise<McpCaller | undefined>;

/** Tools that change orders need `order:write`; everything else needs `menu:read`. */
export const WRITE_TOOLS = new Set([
  'create_order',
  'update_order',
  'place_order',
  'cancel_order',
  'reorder',
]);
const ALL_SCOPES = 'menu:read order:write';

function requiredScope(body: unknown): string {
  const message = body as { method?: unknown; params?: { name?: unknown } } | null;
  const name = message?.method === 'tools/call' ? message.params?.name : undefined;
  return typeof name === 'string' && WRITE_TOOLS.has(name) ? 'order:write' : 'menu:read';
}

/**
 * RFC 6750 §3 / MCP authorization: where to learn how to sign in, and which scope is missing. A token
 * that was sent but refused (expired, revoked, foreign) is `invalid_token` (§3.1); no token, no error code.
 */
function challenge(
  status: 401 | 403,
  publicUrl: string,
  requestId: string | undefined,
  tokenSent = false,
): PlainAnswer {
  const metadata = `${publicUrl}/.well-known/oauth-protected-resource/mcp`;
  const error = status === 403 ? 'error="insufficient_scope", ' : tokenSent ? 'error="invalid_token", ' : '';
  const message =
    status === 401
      ? 'Sign in to order: this endpoint needs an OAuth access token for it.'
      : 'The token does not allow this: sign in again and allow ordering.';
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'www-authenticate': `Bearer ${error}resource_metadata="${metadata}", scope="${ALL_SCOPES}"`,
    },
    body: JSON.stringify(errorBody('invalid_input', message, requestId)),
  };
}

export interface McpRouteDeps {
  readonly tools: Omit<ToolContext, 'customer' | 'schemas'>;
  readonly resolveCustomer: CustomerResolver;
  readonly version: string;
  /** Records every tools/call (the audit log): prepared before it runs, written once answered. */
  readonly audit: McpAudit;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Host names a request may name: the public one and loopback (DNS-rebinding protection). */
function allowedHost(host: string | undefined, publicHost: string): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === publicHost || LOCAL_HOSTS.has(name);
}

/** Browsers send Origin: only the shop's own origin, or a loopback page, may call /mcp from a browser. */
function allowedOrigin(origin: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true;
  if (origin === publicUrl) return true;
  try {
    return LOCAL_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

const JSON_CONTENT = { 'content-type': 'application/json' } as const;

const LEGACY_VERSIONS = new Set(['2025-03-26', '2025-06-18', '2025-11-25']);

/**
 * A well-formed 2025-era tools/call or ping: the calls a conversation repeats. Anything else (initialize,
 * notifications, batches, odd headers) takes the SDK's per-request transport, which answers it fully.
 */
function isHotCall(header: HeaderOf, body: unknown): body is JSONRPCRequest {
  const message = body as { jsonrpc?: unknown; id?: unknown; method?: unknown } | null;
  if (message === null || typeof message !== 'object' || Array.isArray(message) || message.jsonrpc !== '2.0')
    return false;
  if (typeof message.id !== 'string' && typeof message.id !== 'number') return false;
  if (message.method !== 'tools/call' && message.method !== 'ping') return false;
  const params = (body as { params?: { _meta?: Record<string, unknown> } }).params;
  // A 2026-07-28 envelope in the body belongs to the modern leg, whatever the header says.
  if (params?._meta?.['io.modelcontextprotocol/protocolVersion'] !== undefined) return false;
  const accept = header('accept') ?? '';
  const version = header('mcp-protocol-version');
  return (
    accept.includes('application/json') &&
    accept.includes('text/event-stream') &&
    (header('content-type') ?? '').startsWith('application/json') &&
    version !== undefined &&
    LEGACY_VERSIONS.has(version) &&
    // The long-lived server drops, unanswered, what the SDK does not read as a request (an extra
    // member, an odd _meta); the per-request transport refuses those with -32600.
    isJSONRPCRequest(body)
  );
}

/** An error body of the app's shape (`{ error: { code, message, request_id } }`). */
function refusal(status: number, message: string, requestId: string): PlainAnswer {
  return {
    status,
    headers: JSON_CONTENT,
    body: JSON.stringify(errorBody('invalid_input', message, requestId)),
  };
}

/** A POST the SDK answers (initialize, lists, batches, the 2026-07-28 envelope): what it is handed. */
interface SdkCall {
  readonly audited: McpAuditedRequest;
  readonly authInfo: AuthInfo;
  readonly parsedBody: unknown;
}

/**
 * Mounts the MCP endpoint at /mcp: stateless 2026-07-28 requests through the SDK's handler, and
 * 2025-06-18 / 2025-11-25 clients (initialize handshake) through a per-request transport. Both answer
 * with plain JSON, never an SSE stream: tunnels and proxies in front of a Pi often buffer or cut those.
 * The returned lane answers the calls a conversation repeats (tools/call, ping) before the Hono app
 * sees them, with the same checks, in the app's frame; the route answers everything else.
 */
export async function mountMcp(
  app: HttpApp,
  deps: McpRouteDeps,
): Promise<{ close(): Promise<void>; readonly lane: NodeLane }> {
  const tools = { ...deps.tools, schemas: createSchemaJsonCache() };
  const serverFor = () => createCounterpiMcpServer(tools, deps.version);
  const dispatcher = await createLegacyDispatcher(serverFor());
  const menuFastPath = createMenuFastPath(tools);
  const modern = createMcpHandler(serverFor, {
    legacy: 'reject',
    responseMode: 'json',
    // A rejected request is the client's mistake: one short line, no stack, at debug level.
    onerror: (error) => deps.tools.log.debug({ reason: error.message }, 'mcp request rejected'),
  });

  const legacy = statelessLegacyHandler(serverFor);

  const { publicUrl } = deps.tools;
  const publicHost = new URL(publicUrl).hostname;
  const { frame } = app;

  /** DNS-rebinding protection: the host named and the browser's origin. A refusal, or undefined. */
  function gate(header: HeaderOf, requestId: string): PlainAnswer | undefined {
    if (!allowedHost(header('host'), publicHost))
      return refusal(403, 'This host name is not served here.', requestId);
    if (!allowedOrigin(header('origin'), publicUrl))
      return refusal(403, 'Requests from this web origin are not allowed.', requestId);
    return undefined;
  }

  /**
   * A POST past the gate: who calls (401 without a valid token), the body (400 when not JSON), the
   * scope its tool needs (403); a hot call answered and audited; anything else left to the SDK.
   */
  async function post(
    header: HeaderOf,
    text: string,
    requestId: string,
    started: number,
  ): Promise<PlainAnswer | SdkCall> {
    const customer = await deps.resolveCustomer(header);
    if (customer === undefined)
      return challenge(401, publicUrl, requestId, header('authorization') !== undefined);
    let parsedBody: unknown;
    try {
      parsedBody = parseJsonBody(text);
    } catch (error) {
      if (error instanceof SyntaxError)
        return jsonRpcError(400, -32700, 'Parse error: the request body is not valid JSON.');
      if (!isAppError(error)) throw error;
      return jsonRpcError(400, -32600, `Invalid Request: ${error.message}`);
    }
    const misshapen = paramsRefusal(parsedBody);
    if (misshapen !== undefined) return misshapen;
    const audited = deps.audit.prepare(customer, parsedBody);
    if (!customer.scopes.includes(requiredScope(parsedBody))) {
      audited.record({ refused: 'insufficient_scope' }, started);
      return challenge(403, publicUrl, requestId);
    }
    // A call whose audit row cannot be made is refused before anything runs.
    const { refusal } = audited;
    if (refusal !== undefined) {
      audited.record(refusal.message, started);
      return { status: refusal.status, headers: JSON_CONTENT, body: JSON.stringify(refusal.message) };
    }
    const authInfo: AuthInfo = {
      token: '',
      clientId: 'counterpi-transport',
      scopes: [],
      extra: { subject: customer.subject },
    };
    if (!isHotCall(header, parsedBody)) return { audited, authInfo, parsedBody };
    const fast = await menuFastPath(parsedBody);
    const answer = fast ?? (await dispatcher.dispatch(parsedBody, authInfo));
    audited.record(answer, started);
    return { status: 200, headers: JSON_CONTENT, body: fast ?? JSON.stringify(answer) };
  }

  app.all('/mcp', async (c) => {
    const started = performance.now();
    const header: HeaderOf = requestHeaders(c);
    const requestId = c.get('requestId');
    // A plain header object keeps @hono/node-server on its path that builds no web Headers.
    const plain = (answer: PlainAnswer) =>
      c.body(answer.body, answer.status as ContentfulStatusCode, answer.headers);
    const refused = gate(header, requestId);
    if (refused !== undefined) return plain(refused);
    if (c.req.method !== 'POST') {
      // Stateless: no session to resume (GET) or end (DELETE). Streamable HTTP §GET allows 405.
      return plain(
        jsonRpcError(405, -32000, 'Method not allowed: this endpoint is stateless; POST JSON-RPC messages.', {
          allow: 'POST',
        }),
      );
    }
    const outcome = await post(header, await readBodyText(c), requestId, started);
    if ('status' in outcome) return plain(outcome);
    const { audited, authInfo, parsedBody } = outcome;
    const handled = (await isLegacyRequest(c.req.raw, parsedBody))
      ? legacy(c.req.raw, authInfo, parsedBody)
      : modern.fetch(c.req.raw, { authInfo, parsedBody });
    const response = await answerWithin(handled, MCP_ANSWER_TIMEOUT_MS, () => plain(LATE_ANSWER));
    audited.record(response, started);
    return response;
  });

  /** A POST /mcp in the lane: answered on Node's response, or passed on (body kept) to the route. */
  async function answerInLane(incoming: IncomingMessage, outgoing: ServerResponse, pass: () => void) {
    const startedAt = performance.now();
    const header = nodeHeaderReader(incoming.headers);
    const requestId = frame.requestId(header('x-request-id'));
    let answer: PlainAnswer;
    try {
      const text = await readBodyStream(incoming, frame.maxBodyBytes);
      const outcome = gate(header, requestId) ?? (await post(header, text, requestId, startedAt));
      if (!('status' in outcome)) {
        // The route checks it all again (a cached token, one parse): little next to the SDK's own work
        // on these calls, and the route stays whole for the requests that never come through the lane.
        passBodyOn(incoming, text);
        pass();
        return;
      }
      answer = outcome;
    } catch (error) {
      answer = frame.errorAnswer(error, requestId);
    }
    writePlainAnswer(outgoing, answer, requestId);
    frame.finished({ id: requestId, method: 'POST', path: '/mcp', status: answer.status, startedAt });
  }

  return {
    // Only a POST to /mcp with a declared length within the limit: a chunked or oversized body, and
    // every other method, get the app's full treatment (the body limit, the 405).
    lane(incoming, outgoing, pass) {
      if (incoming.method !== 'POST' || incoming.url !== '/mcp') return pass();
      const declared = Number(incoming.headers['content-length'] ?? Number.NaN);
      if (!(declared <= frame.maxBodyBytes)) return pass();
      answerInLane(incoming, outgoing, pass).catch((error: unknown) => {
        // Only writing the answer itself can fail here: nothing more can be said on this socket.
        deps.tools.log.error({ err: error }, 'mcp answer could not be written');
        outgoing.destroy();
      });
    },
    async close() {
      await modern.close();
      await dispatcher.close();
    },
  };
}
