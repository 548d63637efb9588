import type { CallToolResult, JSONRPCRequest } from '@modelcontextprotocol/server';
import type { ToolContext } from './tool-context.js';
import { MENU_TOOLS, menuToolHandlers } from './tools-menu.js';

/** A call's tool result and the JSON-RPC response's text, or undefined to let the SDK answer it. */
export type MenuFastPath = (
  request: JSONRPCRequest,
  /** The caller, for what get_shop_info shows only to them (their stamp card). */
  subject?: string,
) => Promise<{ readonly result: CallToolResult; readonly text: string } | undefined>;

function isMenuTool(name: unknown): name is keyof typeof MENU_TOOLS {
  return typeof name === 'string' && Object.hasOwn(MENU_TOOLS, name);
}

/**
 * The menu tools are most of a conversation's calls and change nothing. For a valid 2025-era call of
 * one of them this runs the same input schema, handler and output schema the SDK would, and wraps the
 * result the way the SDK's 2025 codec does (`{ jsonrpc, id, result }`); a test holds the two answers
 * equal. Anything unusual (invalid arguments, an output that fails its schema, another tool) returns
 * undefined and goes through the SDK, which words the errors.
 */
export function createMenuFastPath(t: ToolContext): MenuFastPath {
  const run = menuToolHandlers(t);
  // Results the handlers hand out again (a cached search page) were checked and serialized once:
  // keyed by their structuredContent, valid while the text content is the same object too.
  const serialized = new WeakMap<object, { content: CallToolResult['content']; json: string }>();
  return async (request, subject) => {
    const params = request.params as { name?: unknown; arguments?: unknown } | undefined;
    const name = params?.name;
    if (!isMenuTool(name)) return undefined;
    const definition = MENU_TOOLS[name];
    const input = definition.inputSchema.safeParse(params?.arguments ?? {});
    if (!input.success) return undefined;
    const result =
      name === 'get_shop_info'
        ? await run.get_shop_info(input.data, subject)
        : await run[name](input.data as never);
    const structured = result.structuredContent;
    const key = typeof structured === 'object' && structured !== null ? structured : undefined;
    const known = key === undefined ? undefined : serialized.get(key);
    let json = known?.content === result.content ? known?.json : undefined;
    if (json === undefined) {
      if (result.isError !== true && !definition.outputSchema.safeParse(structured).success) return undefined;
      json = JSON.stringify(result);
      if (key !== undefined) serialized.set(key, { content: result.content, json });
    }
    // The SDK's 2025 codec answers `{ jsonrpc, id, result }` in this order; the test holds them equal.
    return { result, text: `{"jsonrpc":"2.0","id":${JSON.stringify(request.id)},"result":${json}}` };
  };
}
