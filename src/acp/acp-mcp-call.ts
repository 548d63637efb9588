import { type CallToolResult, ProtocolError } from '@modelcontextprotocol/server';
import { AppError, isAppError, isShopFault } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import { AuditInput } from '../services/audit/audit-input.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import type { Idempotency } from '../services/orders/idempotency.js';
import { type AcpErrorBody, acpError, acpErrorFromApp } from './acp-error.js';
import { type AcpTool, type AcpToolArguments, acpToolCall } from './acp-mcp-tools.js';
import { type AcpResult, SUPPORTED_VERSIONS } from './acp-request.js';
import { type CheckoutOperations, spendsMoney } from './checkout-operations.js';

/** JSON-RPC code of every ACP error (binding §Error Handling): the ACP `Error` is in `data`. */
export const ACP_ERROR_CODE = -32000;

export interface AcpToolCallDeps {
  readonly operations: CheckoutOperations;
  readonly idempotency: Idempotency;
  /** Runs a step so that, when it throws, only its own writes are undone (the store's savepoint). */
  readonly savepoint: <T>(fn: () => T) => T;
  /** Runs a step in a transaction committed with synchronous=FULL (money). */
  readonly durableTransaction: <T>(fn: () => T) => T;
  readonly log: Logger;
  /** Where every call is recorded (actor: the API key). */
  readonly audit?: Pick<AuditLog, 'record' | 'recordSoon'>;
}

/** Answers one tools/call for the API key the transport authenticated. */
export type AcpToolCall = (name: string, args: unknown, apiKeyId: string) => CallToolResult;

/** The REST path of an operation: idempotency scopes name it, so a key means one call on both transports. */
function restPath(tool: AcpTool, id: string | undefined): string {
  const session = `/checkout_sessions/${encodeURIComponent(id ?? '')}`;
  if (tool.operation === 'create') return '/checkout_sessions';
  if (tool.operation === 'complete' || tool.operation === 'cancel') return `${session}/${tool.operation}`;
  return session;
}

/** `param` points into the REST body; here the body is the `payload` argument (binding examples). */
function inArguments(body: AcpErrorBody): AcpErrorBody {
  return body.param?.startsWith('$') === true ? { ...body, param: `$.payload${body.param.slice(1)}` } : body;
}

/**
 * The tools/call of the ACP MCP binding: the same checkout operations, request checks, presentation
 * and idempotency service as REST. A session is the tool's structuredContent, and its JSON the text
 * content; an ACP error is JSON-RPC -32000 with the `Error` as data.
 */
export function createAcpToolCall(deps: AcpToolCallDeps): AcpToolCall {
  const { operations } = deps;

  /** One audit row per call, as REST has: who (the key), which tool, on which session, how it ended. */
  function audited(
    name: string,
    args: AcpToolArguments,
    input: AuditInput | undefined,
    apiKeyId: string,
    result: AcpResult,
    ms: number,
  ) {
    if (deps.audit === undefined) return;
    const body = result.body as { id?: unknown; code?: unknown } | undefined;
    const target = args.id ?? (typeof body?.id === 'string' ? body.id : undefined);
    const entry = {
      actorKind: 'acp_key' as const,
      actor: apiKeyId,
      client: apiKeyId,
      action: `acp.mcp ${name}`,
      target,
      outcome: result.status < 400 ? 'ok' : String(body?.code ?? `http_${result.status}`),
      latencyMs: ms,
      input,
    };
    try {
      if (name === 'get_checkout_session') deps.audit.recordSoon(entry);
      else deps.audit.record(entry);
    } catch (error) {
      deps.log.error({ err: error }, 'acp tool call not audited');
    }
  }

  function perform(tool: AcpTool, apiKeyId: string, id: string, body: unknown): AcpResult {
    switch (tool.operation) {
      case 'create':
        return operations.create(apiKeyId, body);
      case 'get':
        return operations.get(apiKeyId, id);
      case 'update':
        return operations.update(apiKeyId, id, body);
      case 'complete':
        return operations.complete(apiKeyId, id, body);
      case 'cancel':
        return operations.cancel(apiKeyId, id, body);
    }
  }

  /** As REST's acpPost: a broken rule undoes the step's writes and is the (stored) answer. */
  function attempt(run: () => AcpResult): AcpResult {
    try {
      return deps.savepoint(run);
    } catch (error) {
      if (!isAppError(error) || isShopFault(error)) throw error;
      return acpErrorFromApp(error);
    }
  }

  function answer(tool: AcpTool, args: AcpToolArguments, apiKeyId: string): AcpResult {
    const version = args.meta.api_version;
    if (!SUPPORTED_VERSIONS.includes(version)) {
      return acpError(
        400,
        'unsupported_api_version',
        `meta.api_version ${version} is not supported; this server speaks ${SUPPORTED_VERSIONS.join(', ')}.`,
        { supported_versions: SUPPORTED_VERSIONS },
      );
    }
    const id = args.id ?? '';
    if (tool.operation === 'get') return perform(tool, apiKeyId, id, undefined);
    const body = args.payload ?? {};
    const run = () => perform(tool, apiKeyId, id, body);
    // The binding makes the key optional (§Header Mapping): without one, the call simply runs.
    const key = args.meta.idempotency_key;
    // A complete that spends a delegated card token commits durably (FULL) before answering.
    const durable = tool.operation === 'complete' && spendsMoney(body);
    if (key === undefined) return durable ? deps.durableTransaction(() => attempt(run)) : attempt(run);
    try {
      return deps.idempotency.executeSync(
        { scope: `acp ${apiKeyId} ${restPath(tool, id)}`, key, body },
        () => attempt(run),
        { durable },
      );
    } catch (error) {
      if (!isAppError(error) || error.code === 'internal') throw error;
      return acpErrorFromApp(error);
    }
  }

  return (name, rawArgs, apiKeyId) => {
    const started = performance.now();
    const { tool, args } = acpToolCall(name, rawArgs);
    // Summarised before it runs: a call whose audit row cannot be made is refused, nothing done.
    const input = AuditInput.of(args.payload);
    const unrecorded = input?.refusalError();
    let result: AcpResult;
    try {
      result = unrecorded === undefined ? answer(tool, args, apiKeyId) : acpErrorFromApp(unrecorded);
    } catch (error) {
      deps.log.error({ err: error, tool: name, request_id: args.meta.request_id }, 'acp tool call failed');
      result = acpErrorFromApp(
        isAppError(error) ? error : new AppError('internal', 'A tool call failed.', { cause: error }),
      );
    }
    audited(tool.name, args, input, apiKeyId, result, performance.now() - started);
    if (result.status >= 400) {
      const body = inArguments(result.body as AcpErrorBody);
      throw new ProtocolError(ACP_ERROR_CODE, body.message, body);
    }
    return {
      content: [{ type: 'text', text: JSON.stringify(result.body) }],
      structuredContent: result.body as Record<string, unknown>,
    };
  };
}
