import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { type AppError, isAppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import { AuditInput } from '../services/audit/audit-input.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import { toolError } from './tool-result.js';

/** Who made an MCP call: the token's subject and, when it names one, its OAuth client. */
export interface McpAuditCaller {
  readonly subject: string;
  readonly clientId?: string | undefined;
}

/**
 * What /mcp answered: the JSON text of a fast-path answer, a JSON-RPC message, the SDK's Response, or
 * a refusal before any tool ran (`insufficient_scope`).
 */
export type McpAnswer = string | JSONRPCMessage | Response | { readonly refused: string };

/** A request's tools/call messages, summarised for the audit log before anything runs. */
export interface McpAuditedRequest {
  /**
   * The answer refusing the whole request, nothing run, when a call's arguments cannot be recorded
   * (nested too deep, no JSON value): a tool error for one call, a JSON-RPC error for a batch.
   */
  readonly refusal: { readonly status: 200 | 400; readonly message: JSONRPCMessage } | undefined;
  /** Records one row per tools/call once answered, with the summaries made before. Never throws. */
  record(answer: McpAnswer, startedAt: number): void;
}

/** The audit of /mcp: each request is prepared before it runs and recorded once answered. */
export interface McpAudit {
  /** Summarises the arguments of a request's tools/call messages. Never throws. */
  prepare(caller: McpAuditCaller, request: unknown): McpAuditedRequest;
}

interface ToolCall {
  readonly id: unknown;
  readonly name: string;
  /** The order a call names, for the row's target. */
  readonly orderId: unknown;
  readonly input: AuditInput | undefined;
}

interface Reply {
  readonly id?: unknown;
  readonly error?: { readonly code?: unknown };
  readonly result?: {
    readonly isError?: unknown;
    readonly content?: readonly { readonly text?: unknown }[];
    readonly structuredContent?: { readonly order_id?: unknown };
  };
}

function toolCalls(request: unknown): ToolCall[] {
  const messages: unknown[] = Array.isArray(request) ? request : [request];
  const calls: ToolCall[] = [];
  for (const message of messages) {
    const m = message as { id?: unknown; method?: unknown; params?: { name?: unknown; arguments?: unknown } };
    if (m?.method !== 'tools/call') continue;
    const args = m.params?.arguments;
    const record = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : undefined;
    calls.push({
      id: m.id,
      name: typeof m.params?.name === 'string' ? m.params.name : '?',
      orderId: record?.order_id,
      input: AuditInput.of(record),
    });
  }
  return calls;
}

/**
 * `ok`; for a tool error, the AppError code its text ends with (src/mcp/tool-result.ts), `invalid_input`
 * for the SDK's argument check ("Input validation error: …"), or the JSON-RPC code of another SDK
 * refusal it wraps ("MCP error -32602: …"); else the JSON-RPC error's code.
 */
function outcomeOf(reply: Reply | undefined): string {
  if (reply === undefined) return 'no_answer';
  if (reply.error !== undefined) return `jsonrpc_${String(reply.error.code)}`;
  if (reply.result?.isError !== true) return 'ok';
  const text = reply.result.content?.at(-1)?.text;
  if (typeof text !== 'string') return 'tool_error';
  const code = /\(error code: ([\w.-]+)\)$/.exec(text)?.[1];
  if (code !== undefined) return code;
  if (/^(?:MCP error -32602: )?Input validation error/.test(text)) return 'invalid_input';
  const rpc = /^MCP error (-?\d+)/.exec(text)?.[1];
  return rpc === undefined ? 'tool_error' : `jsonrpc_${rpc}`;
}

function replyTo(call: ToolCall, replies: unknown): Reply | undefined {
  if (!Array.isArray(replies)) return replies as Reply;
  return (replies as Reply[]).find((r) => r?.id === call.id);
}

/** The answer to a request none of whose calls ran, because `error` says one cannot be recorded. */
function refusalOf(request: unknown, error: AppError, log: Logger): McpAuditedRequest['refusal'] {
  if (Array.isArray(request)) {
    // JSON-RPC 2.0 §5: id null when the error answers no single request (the SDK's type leaves it out).
    const message = { jsonrpc: '2.0', id: null, error: { code: -32602, message: error.message } };
    return { status: 400, message: message as unknown as JSONRPCMessage };
  }
  const id = (request as { id?: string | number }).id ?? null;
  return { status: 200, message: { jsonrpc: '2.0', id, result: toolError(error, log) } as JSONRPCMessage };
}

/**
 * Creates the audit of /mcp: one row per tools/call. A tool that changes orders commits its row
 * before the answer leaves; reads are batched (AuditLog.recordSoon).
 */
export function createMcpAudit(deps: {
  audit: AuditLog;
  log: Logger;
  writeTools: ReadonlySet<string>;
}): McpAudit {
  /** `replies` is the parsed answer (one message or a batch); `refused` replaces its outcome. */
  function write(
    caller: McpAuditCaller,
    calls: readonly ToolCall[],
    replies: unknown,
    latencyMs: number,
    refused?: string,
  ): void {
    for (const call of calls) {
      const reply = replyTo(call, replies);
      const orderId = call.orderId ?? reply?.result?.structuredContent?.order_id;
      const entry = {
        actorKind: 'customer',
        actor: caller.subject,
        client: caller.clientId,
        action: `mcp.tools/call ${call.name}`,
        target: typeof orderId === 'string' ? orderId : undefined,
        outcome: refused ?? outcomeOf(reply),
        latencyMs,
        input: call.input,
      } as const;
      if (deps.writeTools.has(call.name)) deps.audit.record(entry);
      else deps.audit.recordSoon(entry);
    }
  }

  function record(caller: McpAuditCaller, calls: readonly ToolCall[], answer: McpAnswer, startedAt: number) {
    const latencyMs = performance.now() - startedAt;
    // A full disk is logged by the storage state, once a minute, not here once per call.
    const fail = (error: unknown) => {
      if (!isAppError(error, 'storage_full')) deps.log.error({ err: error }, 'mcp call not audited');
    };
    try {
      if (typeof answer === 'string') {
        // A fast-path answer is a success unless the tool said otherwise; only then is it parsed.
        const reply = answer.includes('"isError":true') ? JSON.parse(answer) : { result: {} };
        write(caller, calls, reply, latencyMs);
      } else if (answer instanceof Response) {
        answer
          .clone()
          .text()
          .then((text) => write(caller, calls, text === '' ? undefined : JSON.parse(text), latencyMs))
          .catch(fail);
      } else if ('refused' in answer) {
        write(caller, calls, undefined, latencyMs, answer.refused);
      } else {
        write(caller, calls, answer, latencyMs);
      }
    } catch (error) {
      fail(error);
    }
  }

  return {
    prepare(caller, request) {
      const calls = toolCalls(request);
      const refused = calls.map((call) => call.input?.refusalError()).find((error) => error !== undefined);
      return {
        refusal: refused === undefined ? undefined : refusalOf(request, refused, deps.log),
        record(answer, startedAt) {
          if (calls.length > 0) record(caller, calls, answer, startedAt);
        },
      };
    },
  };
}
