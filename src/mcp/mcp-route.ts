import type { IncomingMessage } from 'node:http';
import {
  type AuthInfo,
  isJSONRPCRequest,
  type JSONRPCRequest,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import { AppError, isAppError } from '../domain/app-error.js';
import type { HttpApp } from '../http/app.js';
import { errorBody } from '../http/error-response.js';
import {
  createSdkMcpHandler,
  hostOriginRefusal,
  type McpCaller,
  METHOD_NOT_ALLOWED,
  mcpHosts,
  parseJsonRpc,
  plainAnswerOf,
} from '../http/mcp-transport.js';
import { readBodyStream } from '../http/read-body.js';
import { type PlainAnswer, writePlainAnswer } from '../http/request-frame.js';
import { type HeaderReader, nodeHeaderReader } from '../http/request-headers.js';
import type { NodeHandler } from '../http/server.js';
import { answerWithin, LATE_ANSWER, MCP_ANSWER_TIMEOUT_MS } from './answer-timeout.js';
import { connectCallTransport } from './call-transport.js';
import { paramsRefusal } from './json-rpc-refusal.js';
import { type McpAudit, type McpOutcomes, replyOutcomes, resultOutcome } from './mcp-audit.js';
import { createCounterpiMcpServer } from './mcp-server.js';
import { createMenuFastPath } from './menu-fast-path.js';
import type { ToolContext } from './tool-context.js';

/** Who is calling: decided by the transport (the OAuth bearer token), never by a tool argument. */
export type CustomerResolver = (
  header: HeaderReader,
) => McpCaller | undefined | Promise<McpCaller | undefined>;

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
function challenge(status: 401 | 403, publicUrl: string, requestId: string, tokenSent = false): PlainAnswer {
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
  readonly tools: ToolContext;
  readonly resolveCustomer: CustomerResolver;
  readonly version: string;
  /** Records every tools/call (the audit log): prepared before it runs, written once answered. */
  readonly audit: McpAudit;
}

const JSON_CONTENT = { 'content-type': 'application/json' } as const;

/** A JSON-RPC answer's text with 200. */
function answered(text: string): PlainAnswer {
  return { status: 200, headers: JSON_CONTENT, body: text };
}

/**
 * A well-formed 2025-era tools/call or ping: the calls a conversation repeats. Anything else (initialize,
 * notifications, batches, odd headers, the 2026-07-28 envelope) the SDK's own handler answers fully.
 */
function isHotCall(header: HeaderReader, body: unknown): body is JSONRPCRequest {
  const message = body as { method?: unknown; params?: { _meta?: Record<string, unknown> } } | null;
  if (message?.method !== 'tools/call' && message?.method !== 'ping') return false;
  // A 2026-07-28 envelope in the body belongs to the modern leg, whatever the header says.
  if (message.params?._meta?.[PROTOCOL_VERSION_META_KEY] !== undefined) return false;
  const accept = header('accept') ?? '';
  const version = header('mcp-protocol-version');
  return (
    accept.includes('application/json') &&
    accept.includes('text/event-stream') &&
    (header('content-type') ?? '').startsWith('application/json') &&
    version !== undefined &&
    SUPPORTED_PROTOCOL_VERSIONS.includes(version) &&
    // The long-lived server drops, unanswered, what the SDK does not read as a request (an extra
    // member, an odd _meta); the per-request transport refuses those with -32600.
    isJSONRPCRequest(body)
  );
}

/** The SDK's answer text as JSON-RPC replies for the audit; anything else is no reply. */
function repliesIn(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The request as a web Request for the SDK's handler, with the body already read: never read twice. */
function webRequest(incoming: IncomingMessage, publicUrl: string, text: string): Request {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let n = 0; n + 1 < raw.length; n += 2) headers.append(raw[n] as string, raw[n + 1] as string);
  return new Request(new URL(incoming.url ?? '/mcp', publicUrl), { method: 'POST', headers, body: text });
}

/**
 * Serves /mcp as one Node handler for the exact path: Streamable HTTP, stateless, plain JSON answers
 * (never an SSE stream: tunnels in front of a Pi often buffer or cut those). The calls a conversation
 * repeats (tools/call, ping) are answered by the menu fast path or one long-lived McpServer; the rest
 * (initialize, lists, notifications, batches, the 2026-07-28 envelope) by the SDK's own handler. Every
 * answer carries the app's frame: request id, security headers, error bodies, access log.
 */
export async function mountMcp(
  app: HttpApp,
  deps: McpRouteDeps,
): Promise<{ close(): Promise<void>; readonly handler: NodeHandler }> {
  const serverFor = () => createCounterpiMcpServer(deps.tools, deps.version);
  const longLived = await connectCallTransport(serverFor());
  const menuFastPath = createMenuFastPath(deps.tools);
  const { publicUrl, log } = deps.tools;
  const sdk = createSdkMcpHandler(serverFor, log);
  const hosts = mcpHosts(publicUrl);
  const { frame } = app;

  /** A call past every check, answered, with each tools/call's outcome for the audit. */
  async function respond(
    incoming: IncomingMessage,
    header: HeaderReader,
    body: unknown,
    text: string,
    authInfo: AuthInfo,
  ): Promise<{ answer: PlainAnswer; outcomes: McpOutcomes }> {
    if (isHotCall(header, body)) {
      const fast = await menuFastPath(body, authInfo.extra?.subject as string | undefined);
      if (fast !== undefined)
        return { answer: answered(fast.text), outcomes: () => resultOutcome(fast.result) };
      const reply = await longLived.call(body, authInfo);
      return { answer: answered(JSON.stringify(reply)), outcomes: replyOutcomes(reply) };
    }
    const handled = sdk.answer(webRequest(incoming, publicUrl, text), body, authInfo).then(plainAnswerOf);
    const answer = await answerWithin(handled, MCP_ANSWER_TIMEOUT_MS, () => LATE_ANSWER);
    return { answer, outcomes: replyOutcomes(repliesIn(answer.body)) };
  }

  /** One request, checked in order: method, host and origin, body, caller, JSON, params, scope. */
  async function answer(
    incoming: IncomingMessage,
    header: HeaderReader,
    requestId: string,
    startedAt: number,
  ): Promise<PlainAnswer> {
    if (incoming.method !== 'POST') return METHOD_NOT_ALLOWED;
    const refused = hostOriginRefusal(header, hosts);
    if (refused !== undefined) return refused;
    const { maxBodyBytes } = frame;
    if (Number(header('content-length')) > maxBodyBytes)
      throw new AppError('payload_too_large', `The request body is larger than ${maxBodyBytes} bytes.`);
    const text = await readBodyStream(incoming, maxBodyBytes);
    const caller = await deps.resolveCustomer(header);
    if (caller === undefined)
      return challenge(401, publicUrl, requestId, header('authorization') !== undefined);
    const parsed = parseJsonRpc(text);
    if ('refusal' in parsed) return parsed.refusal;
    const { body } = parsed;
    const misshapen = paramsRefusal(body);
    if (misshapen !== undefined) return misshapen;
    const audited = deps.audit.prepare(caller, body);
    if (!caller.scopes.includes(requiredScope(body))) {
      audited.record(() => ({ refused: 'insufficient_scope' }), startedAt);
      return challenge(403, publicUrl, requestId);
    }
    // A call whose audit row cannot be made is refused before anything runs.
    if (audited.refusal !== undefined) {
      const { status, message } = audited.refusal;
      audited.record(replyOutcomes(message), startedAt);
      return { status, headers: JSON_CONTENT, body: JSON.stringify(message) };
    }
    const extra = { subject: caller.subject };
    const authInfo: AuthInfo = { token: '', clientId: 'counterpi-transport', scopes: [], extra };
    const { answer, outcomes } = await respond(incoming, header, body, text, authInfo);
    if (audited.hasCalls) audited.record(outcomes, startedAt);
    return answer;
  }

  /** An error no check answered: the frame's error answer; a body cut off closes its connection. */
  function failed(error: unknown, requestId: string): PlainAnswer {
    const answer = frame.errorAnswer(error, requestId);
    if (!isAppError(error, 'payload_too_large')) return answer;
    return { ...answer, headers: { ...answer.headers, connection: 'close' } };
  }

  return {
    handler(incoming, outgoing) {
      const startedAt = performance.now();
      const header = nodeHeaderReader(incoming.headers);
      const requestId = frame.requestId(header('x-request-id'));
      answer(incoming, header, requestId, startedAt)
        .catch((error: unknown) => failed(error, requestId))
        .then((answer) => {
          writePlainAnswer(outgoing, answer, requestId);
          const { method } = incoming;
          frame.finished({ id: requestId, method, path: '/mcp', status: answer.status, startedAt });
        })
        .catch((error: unknown) => {
          // Only writing the answer itself can fail here: nothing more can be said on this socket.
          log.error({ err: error }, 'mcp answer could not be written');
          outgoing.destroy();
        });
    },
    async close() {
      await sdk.close();
      await longLived.close();
    },
  };
}
