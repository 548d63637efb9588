import { ProtocolError, ProtocolErrorCode, type Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { ADDS, CHANGES, CREATES, READ_ONLY, type ToolHints, titled } from '../http/tool-annotations.js';
import { ACP_VERSION } from './acp-request.js';
import {
  cancelRequestSchema,
  completeRequestSchema,
  createRequestSchema,
  updateRequestSchema,
} from './checkout-schemas.js';

/** Which checkout operation a tool runs. */
export type AcpOperation = 'create' | 'get' | 'update' | 'complete' | 'cancel';

/** One tool of the ACP MCP binding (docs/mcp-binding.md §Tool Definitions, §Argument Structure). */
export interface AcpTool {
  readonly name: string;
  readonly operation: AcpOperation;
  /** Whether `id` (the REST path parameter) is an argument. */
  readonly takesId: boolean;
  /** `payload` (the REST body): required, optional (cancel) or absent (get). */
  readonly payload: 'required' | 'optional' | 'absent';
}

/** A tool call's arguments once the envelope is known to be well formed. */
export interface AcpToolArguments {
  readonly meta: z.infer<typeof metaSchema>;
  readonly id?: string;
  readonly payload?: Readonly<Record<string, unknown>> | null;
}

// The REST header rules, as `meta` fields (binding §Header Mapping). Unknown fields are kept and
// ignored, so a header added by a later release does not break a call (binding: SHOULD ignore).
const metaSchema = z
  .object({
    api_version: z.string().describe(`The ACP API version (API-Version header): "${ACP_VERSION}"`),
    idempotency_key: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional()
      .describe(
        'Idempotency-Key: a fresh value (a UUID) for each new create, update, complete or cancel; the same one only to retry that call',
      ),
    request_id: z.string().max(255).optional().describe('Request-Id: a correlation id'),
    user_agent: z.string().optional(),
    accept_language: z.string().optional(),
    signature: z.string().optional(),
    timestamp: z.string().optional(),
  })
  .loose();

const sessionId = z.string().min(1).describe('The checkout session id (the {checkout_session_id} of REST)');
const anyPayload = z.record(z.string(), z.unknown());

const TOOLS: readonly (AcpTool & {
  readonly title: string;
  readonly description: string;
  readonly payloadSchema?: z.ZodType;
  readonly annotations: ToolHints;
})[] = [
  {
    name: 'create_checkout_session',
    operation: 'create',
    takesId: false,
    payload: 'required',
    payloadSchema: createRequestSchema,
    // meta.idempotency_key is optional in the binding: without one, each call opens another session.
    annotations: CREATES,
    title: 'Create a checkout session',
    description:
      'POST /checkout_sessions. payload is a CheckoutSessionCreateRequest: line_items with menu item ids from the product feed (options after a colon, e.g. "cheeseburger:no-onions"), currency "usd". Discount codes the buyer gave go in discounts.codes; never invent one. Answers the whole CheckoutSession: lines, totals in minor units (offers already taken off: discounts.applied says which, discounts.rejected why a code did not apply), pickup times as fulfillment_options, and messages saying what stops payment.',
  },
  {
    name: 'get_checkout_session',
    operation: 'get',
    takesId: true,
    payload: 'absent',
    annotations: READ_ONLY,
    title: 'Read a checkout session',
    description:
      'GET /checkout_sessions/{id}: the current state of a session. After complete, poll it: pending_approval until the buyer confirms on their phone, then completed.',
  },
  {
    name: 'update_checkout_session',
    operation: 'update',
    takesId: true,
    payload: 'required',
    payloadSchema: updateRequestSchema,
    // Replaces lines, buyer or pickup time chosen earlier; the same payload again leaves the same session.
    annotations: CHANGES,
    title: 'Update a checkout session',
    description:
      'POST /checkout_sessions/{id}: change line_items, buyer, fulfillment_details, order_notes, the discount codes (discounts.codes replaces them; [] removes them) or the pickup time (selected_fulfillment_options with an option_id from fulfillment_options). Answers the whole session.',
  },
  {
    name: 'complete_checkout_session',
    operation: 'complete',
    takesId: true,
    payload: 'required',
    payloadSchema: completeRequestSchema,
    // Adds an order; a session completes once, so a repeat is refused and changes nothing.
    annotations: ADDS,
    title: 'Complete a checkout session',
    description:
      'POST /checkout_sessions/{id}/complete with payment_data {"handler_id": "pay_at_pickup"} and a buyer with a name and a phone number. Places the order at the total last answered: the session answers pending_approval with the order and a continue_url where the buyer confirms it; they pay at pickup. If the total changed meanwhile (an offer ended, a code was used up), nothing is placed and a price_change warning shows the new total: complete again once the buyer accepts it.',
  },
  {
    name: 'cancel_checkout_session',
    operation: 'cancel',
    takesId: true,
    payload: 'optional',
    payloadSchema: cancelRequestSchema,
    // Ends the session; cancelling it again is refused (ACP checkout §4.5) and changes nothing.
    annotations: CHANGES,
    title: 'Cancel a checkout session',
    description:
      'POST /checkout_sessions/{id}/cancel: cancels a session not yet completed, optionally with an intent_trace saying why.',
  },
];

/** The argument envelope of a tool; the payload's own rules are the REST body's, checked by the operation. */
function envelopeOf(tool: AcpTool, payload: z.ZodType | undefined) {
  return z
    .object({
      meta: metaSchema,
      ...(tool.takesId ? { id: sessionId } : {}),
      ...(tool.payload === 'absent' || payload === undefined
        ? {}
        : { payload: tool.payload === 'required' ? payload : payload.optional() }),
    })
    .strict();
}

/**
 * The tools as tools/list answers them. Their input schemas come from the same zod schemas that check
 * REST bodies, as JSON Schema with nothing left to resolve (binding §Overview: bundle every $ref).
 */
export const ACP_TOOL_LIST: readonly Tool[] = TOOLS.map((tool) =>
  titled({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(envelopeOf(tool, tool.payloadSchema), {
      io: 'input',
      target: 'draft-2020-12',
    }) as Tool['inputSchema'],
    annotations: tool.annotations,
  }),
);

const BY_NAME = new Map(
  TOOLS.map((tool) => {
    // Omitting an optional payload is valid; some clients send null for it (binding §Argument Structure).
    const payload = tool.payload === 'optional' ? anyPayload.nullable() : anyPayload;
    return [tool.name, { tool, envelope: envelopeOf(tool, payload) }] as const;
  }),
);

function pathOf(segments: readonly PropertyKey[]): string {
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('')}`;
}

/**
 * The tool a call names and its arguments, or JSON-RPC -32602: a malformed envelope fails before any
 * ACP logic runs (binding §Error Handling). What is inside `payload` is not looked at here.
 */
export function acpToolCall(name: string, args: unknown): { tool: AcpTool; args: AcpToolArguments } {
  const entry = BY_NAME.get(name);
  if (entry === undefined) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Unknown tool ${name}; this endpoint has ${[...BY_NAME.keys()].join(', ')}.`,
    );
  }
  const parsed = entry.envelope.safeParse(args ?? {});
  // The envelope's keys depend on the tool, so zod cannot name the type; it is this one.
  if (parsed.success) return { tool: entry.tool, args: parsed.data as AcpToolArguments };
  const [issue] = parsed.error.issues;
  const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const where = pathOf(issue?.path ?? []);
  const problem =
    unknown !== undefined
      ? `unknown argument "${unknown}" at ${where}`
      : issue?.code === 'invalid_type' && issue.input === undefined
        ? `${where} is required`
        : `${where}: ${issue?.message ?? 'invalid'}`;
  throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid arguments for ${name}: ${problem}.`);
}
