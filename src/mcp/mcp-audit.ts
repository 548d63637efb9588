import { type CallToolResult, type JSONRPCMessage, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { type AppError, isAppError } from '../domain/app-error.js';
import { jsonRpcErrorMessage } from '../http/mcp-transport.js';
import type { Logger } from '../platform/logger.js';
import { AuditInput } from '../services/audit/audit-input.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import { ERROR_CODE_META, toolError } from './tool-result.js';

/** Who made an MCP call: the token's subject and, when it names one, its OAuth client. */
export interface McpAuditCaller {
  readonly subject: string;
  readonly clientId?: string | undefined;
}

/**
 * What one tools/call came to: a result, a refusal before or instead of running it (its code: a missing
 * scope, a JSON-RPC error, the SDK's argument check), or the tool's own error with its AppError code.
 */
export type McpOutcome =
  | { readonly ok: true; readonly orderId?: unknown }
  | { readonly refused: string }
  | { readonly toolError: string };

/** Each call's outcome by its JSON-RPC id. */
export type McpOutcomes = (id: unknown) => McpOutcome;

/** A request's tools/call messages, summarised for the audit log before anything runs. */
export interface McpAuditedRequest {
  /**
   * The answer refusing the whole request, nothing run, when a call's arguments cannot be recorded
   * (nested too deep, no JSON value): a tool error for one call, a JSON-RPC error for a batch.
   */
  readonly refusal: { readonly status: 200 | 400; readonly message: JSONRPCMessage } | undefined;
  /** Whether the request holds a tools/call: else there is nothing to record. */
  readonly hasCalls: boolean;
  /** Records one row per tools/call once answered, with the summaries made before. Never throws. */
  record(outcomes: McpOutcomes, startedAt: number): void;
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

/** A JSON-RPC reply, read by its structured fields only. */
interface Reply {
  readonly id?: unknown;
  readonly error?: { readonly code?: unknown };
  readonly result?: CallToolResult;
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
 * A tool result's outcome. A tool error names its code in `_meta` (src/mcp/tool-result.ts); one without
 * is the SDK's: the only tool errors it makes itself refuse a call's arguments before the tool runs.
 */
export function resultOutcome(result: CallToolResult): McpOutcome {
  if (result.isError !== true)
    return { ok: true, orderId: (result.structuredContent as { order_id?: unknown } | undefined)?.order_id };
  const code = result._meta?.[ERROR_CODE_META];
  return typeof code === 'string' ? { toolError: code } : { refused: 'invalid_input' };
}

/** The outcomes in a JSON-RPC answer: one reply for every call, or a batch's replies by id. */
export function replyOutcomes(answer: unknown): McpOutcomes {
  return (id) => {
    const reply = (Array.isArray(answer) ? answer.find((r: Reply) => r?.id === id) : answer) as
      | Reply
      | undefined;
    if (reply?.error !== undefined) return { refused: `jsonrpc_${String(reply.error.code)}` };
    if (reply?.result === undefined) return { refused: 'no_answer' };
    return resultOutcome(reply.result);
  };
}

/** The answer to a request none of whose calls ran, because `error` says one cannot be recorded. */
function refusalOf(request: unknown, error: AppError, log: Logger): McpAuditedRequest['refusal'] {
  if (Array.isArray(request))
    return {
      status: 400,
      message: jsonRpcErrorMessage(null, ProtocolErrorCode.InvalidParams, error.message),
    };
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
  function record(
    caller: McpAuditCaller,
    calls: readonly ToolCall[],
    outcomes: McpOutcomes,
    startedAt: number,
  ) {
    const latencyMs = performance.now() - startedAt;
    for (const call of calls) {
      try {
        const outcome = outcomes(call.id);
        const orderId = call.orderId ?? ('ok' in outcome ? outcome.orderId : undefined);
        const entry = {
          actorKind: 'customer',
          actor: caller.subject,
          client: caller.clientId,
          action: `mcp.tools/call ${call.name}`,
          target: typeof orderId === 'string' ? orderId : undefined,
          outcome: 'ok' in outcome ? 'ok' : 'refused' in outcome ? outcome.refused : outcome.toolError,
          latencyMs,
          input: call.input,
        } as const;
        if (deps.writeTools.has(call.name)) deps.audit.record(entry);
        else deps.audit.recordSoon(entry);
      } catch (error) {
        // A full disk is logged by the storage state, once a minute, not here once per call.
        if (!isAppError(error, 'storage_full')) deps.log.error({ err: error }, 'mcp call not audited');
      }
    }
  }

  return {
    prepare(caller, request) {
      const calls = toolCalls(request);
      const refused = calls.map((call) => call.input?.refusalError()).find((error) => error !== undefined);
      return {
        refusal: refused === undefined ? undefined : refusalOf(request, refused, deps.log),
        hasCalls: calls.length > 0,
        record(outcomes, startedAt) {
          if (calls.length > 0) record(caller, calls, outcomes, startedAt);
        },
      };
    },
  };
}
