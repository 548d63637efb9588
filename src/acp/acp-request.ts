import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { isAppError, isShopFault } from '../domain/app-error.js';
import type { AppEnv } from '../http/app.js';
import { parseJsonBody } from '../http/json-body.js';
import { readBodyText } from '../http/read-body.js';
import { bearerToken } from '../http/request-headers.js';
import type { Logger } from '../platform/logger.js';
import { AuditInput } from '../services/audit/audit-input.js';
import type { AuditEntry, AuditLog } from '../services/audit/audit-log.js';
import type { AcpKey, AcpKeys, SignatureCheck } from '../services/checkout/acp-keys.js';
import type { Idempotency, IdempotentAnswer } from '../services/orders/idempotency.js';
import { type AcpErrorResponse, acpError, acpErrorFromApp } from './acp-error.js';

/** The ACP release served, and every version accepted in `API-Version` (newest first). */
export const ACP_VERSION = '2026-04-17';
export const SUPPORTED_VERSIONS: readonly string[] = [ACP_VERSION];

/** The ACP routes' variables: the API key that authenticated the call. */
export interface AcpEnv {
  Variables: AppEnv['Variables'] & {
    acpKey: AcpKey;
    acpEcho: Readonly<Record<string, string>>;
    /** Checks the request's signature over a body, for keys that sign (always ok for the others). */
    acpSignature: (body: unknown) => SignatureCheck;
    /** For the audit log: what the call answered, and what a POST was given. */
    acpAnswer: AcpAuditAnswer | undefined;
    acpInput: AcpAuditInput | undefined;
    /** Appends the call's audit row now, inside the caller's transaction (acpPost, as its change commits). */
    acpAuditNow: (() => void) | undefined;
    /** True once the call's audit row committed with its change: nothing is left to record. */
    acpAudited: boolean | undefined;
  };
}

/** How an ACP call ended, as the audit log keeps it. */
export interface AcpAuditAnswer {
  /** `ok`, or the ACP error code. */
  readonly outcome: string;
  /** The id of the object answered (a created session). */
  readonly target: string | undefined;
}

/** What an ACP POST was given, as the audit log keeps it. */
export interface AcpAuditInput {
  /** The body as idempotency compares it (card data already masked for delegate payment), summarised. */
  readonly body: AuditInput | undefined;
  readonly durable: boolean;
  readonly replayed: boolean;
}

/** An ACP handler's answer: status and JSON body (a checkout session, an error …). */
export interface AcpResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body's JSON when it is already written out (an idempotency record's text): sent as is. */
  readonly text?: string;
}

const MAX_IDEMPOTENCY_KEY = 255;
// Messages are written in English; an agent asking for another language (Accept-Language) is told so.
const JSON_HEADERS = { 'content-type': 'application/json', 'content-language': 'en' } as const;

/** Answers JSON with the headers the guard echoes (`Request-Id`) and any of the result's own. */
export function acpJson(
  c: Context,
  result: AcpResult | AcpErrorResponse,
  extra: Record<string, string> = {},
): Response {
  // Routes without the guard (discovery, the feed) have no echo.
  const echo = (c as Context<AcpEnv>).get('acpEcho');
  (c as Context<AcpEnv>).set('acpAnswer', auditAnswer(result));
  const text = 'text' in result && result.text !== undefined ? result.text : JSON.stringify(result.body);
  return c.body(text, result.status as 200, {
    ...JSON_HEADERS,
    ...echo,
    ...result.headers,
    ...extra,
  });
}

/**
 * What every ACP call goes through first: `Authorization: Bearer <API key>` (keys the owner created,
 * checked by hash), a supported `API-Version`, and `Request-Id` echoed back.
 */
export function acpGuard(keys: AcpKeys): MiddlewareHandler<AcpEnv> {
  return async (c, next) => {
    const requestId = c.req.header('request-id');
    const echo: Record<string, string> =
      requestId !== undefined && requestId.length <= 255 ? { 'Request-Id': requestId } : {};
    c.set('acpEcho', echo);
    const secret = bearerToken(c.req.header('authorization'));
    const key = secret === undefined ? undefined : keys.verify(secret);
    if (key === undefined) {
      return acpJson(
        c,
        acpError(
          401,
          'unauthorized',
          'Send a valid API key as "Authorization: Bearer <key>"; the shop owner creates keys.',
        ),
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const version = c.req.header('api-version');
    if (version === undefined || !SUPPORTED_VERSIONS.includes(version)) {
      const missing = version === undefined;
      return acpJson(
        c,
        acpError(
          400,
          missing ? 'missing_api_version' : 'unsupported_api_version',
          missing
            ? `Send the API-Version header; this server speaks ${SUPPORTED_VERSIONS.join(', ')}.`
            : `API-Version ${version} is not supported; this server speaks ${SUPPORTED_VERSIONS.join(', ')}.`,
          { supported_versions: SUPPORTED_VERSIONS },
        ),
      );
    }
    c.set('acpKey', key);
    const check = (body: unknown): SignatureCheck =>
      !key.signingRequired
        ? { ok: true }
        : keys.verifySignature(key, {
            signature: c.req.header('signature'),
            timestamp: c.req.header('timestamp'),
            method: c.req.method,
            path: c.req.path,
            body,
          });
    c.set('acpSignature', check);
    // Reads carry no body: checked here; writes are checked once their body is parsed (acpPost).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const signed = check(undefined);
      if (!signed.ok) return acpJson(c, acpError(401, 'invalid_signature', signed.reason));
    }
    return next();
  };
}

export interface AcpPostDeps {
  readonly idempotency: Idempotency;
  /** Runs a step so that, when it throws, only its own writes are undone (the store's savepoint). */
  readonly savepoint: <T>(fn: () => T) => T;
  readonly log: Logger;
}

/** How one endpoint's `acpPost` differs from the default. */
export interface AcpPostOptions {
  /** True when the call records money or a paid order: its commit is synchronous=FULL (DESIGN.md). */
  readonly durable?: (body: unknown) => boolean;
  /**
   * What idempotency compares in place of the body; a hash of it is stored. For bodies carrying card
   * data: masked, so no hash of a card number is ever written.
   */
  readonly fingerprint?: (body: unknown) => unknown;
  /** Rewrites every error answer, for an endpoint whose `Error` allows fewer codes (delegate payment). */
  readonly mapError?: (error: AcpErrorResponse) => AcpErrorResponse;
}

/**
 * A state-changing ACP call: `Idempotency-Key` required (≤ 255 characters) and echoed, the JSON body
 * parsed, and `run` executed at most once per (API key, endpoint, key): the same body again gets the
 * stored answer (`Idempotent-Replayed: true`), another body 422 `idempotency_conflict`, a call while the
 * first still runs 409 `idempotency_in_flight` with Retry-After (ACP checkout §6.4, statuses from
 * `statusForCode`). `run` happens in a savepoint, so a business error it throws undoes its writes and
 * is stored as the answer.
 */
export async function acpPost(
  c: Context<AcpEnv>,
  deps: AcpPostDeps,
  endpoint: string,
  run: (body: unknown, key: AcpKey) => AcpResult,
  options: AcpPostOptions = {},
): Promise<Response> {
  const mapped = (error: AcpErrorResponse) => options.mapError?.(error) ?? error;
  const fail = (error: AcpErrorResponse, extra: Record<string, string> = {}) =>
    acpJson(c, mapped(error), extra);
  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey === undefined || idempotencyKey.length === 0) {
    return fail(
      acpError(400, 'idempotency_key_required', 'Idempotency-Key header is required on all POST requests.'),
    );
  }
  const echo = { 'Idempotency-Key': idempotencyKey };
  if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY || !/^[\x21-\x7e]+$/.test(idempotencyKey)) {
    return fail(
      acpError(
        400,
        'invalid',
        `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY} printable ASCII characters.`,
      ),
      echo,
    );
  }
  let body: unknown;
  try {
    const text = await readBodyText(c);
    body = text.trim() === '' ? {} : parseJsonBody(text);
  } catch (error) {
    if (isAppError(error)) return fail(acpErrorFromApp(error), echo);
    return fail(acpError(400, 'invalid_json', 'The request body is not valid JSON.'), echo);
  }
  const key = c.get('acpKey');
  const signed = c.get('acpSignature')(body);
  if (!signed.ok) return acpJson(c, acpError(401, 'invalid_signature', signed.reason), echo);
  try {
    // In the try: a fingerprint that refuses the body (too deep to mask) answers as any AppError does.
    const fingerprint = options.fingerprint?.(body) ?? body;
    const input: AcpAuditInput = {
      body: AuditInput.of(fingerprint),
      durable: options.durable?.(body) === true,
      replayed: false,
    };
    c.set('acpInput', input);
    // A call whose audit row cannot be made is refused before anything runs.
    const unrecorded = input.body?.refusalError();
    if (unrecorded !== undefined) return fail(acpErrorFromApp(unrecorded), echo);
    const request = { scope: `acp ${key.id} ${endpoint}`, key: idempotencyKey, body: fingerprint };
    const effect = () => {
      try {
        return deps.savepoint(() => run(body, key));
      } catch (error) {
        if (!isAppError(error) || isShopFault(error)) throw error;
        return mapped(acpErrorFromApp(error));
      }
    };
    // The call's audit row is written in the transaction of the answer it records: one commit, not two.
    const settled = (answer: IdempotentAnswer<unknown>) => {
      c.set('acpInput', { ...input, replayed: answer.replayed });
      c.set('acpAnswer', auditAnswer(answer));
      c.get('acpAuditNow')?.();
    };
    // Money commits on its own with synchronous=FULL; everything else shares the turn's group commit.
    const result = input.durable
      ? deps.idempotency.executeSync(request, effect, { durable: true, settled })
      : await deps.idempotency.executeGrouped(request, effect, { settled });
    c.set('acpAudited', c.get('acpAuditNow') !== undefined);
    return acpJson(c, result, result.replayed ? { ...echo, 'Idempotent-Replayed': 'true' } : echo);
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === 'internal') deps.log.error({ err: error }, 'acp request failed');
    return fail(acpErrorFromApp(error), echo);
  }
}

function auditAnswer(result: AcpResult | AcpErrorResponse): AcpAuditAnswer {
  const body = result.body as { id?: unknown; code?: unknown } | null;
  if (result.status < 400)
    return { outcome: 'ok', target: typeof body?.id === 'string' ? body.id : undefined };
  return { outcome: typeof body?.code === 'string' ? body.code : `http_${result.status}`, target: undefined };
}

/** The `:id` segment of a request path, by where the matched route has it. */
function pathId(route: string, path: string): string | undefined {
  const at = route.split('/').indexOf(':id');
  return at < 0 ? undefined : path.split('/')[at];
}

export interface AcpAuditDeps {
  readonly audit: AuditLog;
  readonly log: Logger;
}

/**
 * Records every call an ACP API key made in the audit log (DESIGN.md): the key, the operation
 * (`acp.POST /checkout_sessions/{id}/complete`), the session, the outcome (`ok` or the ACP error code,
 * `(replayed)` for an idempotent replay), the latency and the redacted body. A POST that reached its
 * idempotency record writes its row in that same transaction (acpPost calls `acpAuditNow`), so the row
 * commits with the change, synchronous=FULL when it recorded money; any other POST commits its row in
 * the turn's group commit before the answer leaves; reads are batched. Calls refused before a key was
 * recognised name nobody and are not recorded. Mount it before the ACP routes.
 */
export function acpAudit(deps: AcpAuditDeps): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const started = performance.now();
    const c = context as unknown as Context<AcpEnv>;
    c.set('acpAuditNow', () => deps.audit.record(callEntry(c, started)));
    await next();
    if (c.get('acpKey') === undefined || c.get('acpAudited') === true) return;
    try {
      const entry = callEntry(c, started);
      if (c.get('acpInput') === undefined) deps.audit.recordSoon(entry);
      else await deps.audit.recordGrouped(entry);
    } catch (error) {
      // A full disk is logged by the storage state, once a minute, not here once per call.
      if (!isAppError(error, 'storage_full')) deps.log.error({ err: error }, 'acp call not audited');
    }
  };
}

/** The audit row of the call `c` answers (or is answering), begun at `started`. */
function callEntry(c: Context<AcpEnv>, started: number): AuditEntry {
  const key = c.get('acpKey');
  const method = c.req.method;
  const route = matchedRoutes(c).findLast((r) => r.method === method)?.path ?? c.req.path;
  const answer = c.get('acpAnswer');
  const input = c.get('acpInput');
  const outcome = answer?.outcome ?? (c.res.status < 400 ? 'ok' : `http_${c.res.status}`);
  return {
    actorKind: 'acp_key',
    actor: key.id,
    client: key.id,
    action: `acp.${method} ${route.replace(/:(\w+)/g, '{$1}')}`,
    target: pathId(route, c.req.path) ?? answer?.target,
    outcome: input?.replayed === true ? `${outcome} (replayed)` : outcome,
    latencyMs: performance.now() - started,
    input: input?.body,
  };
}
