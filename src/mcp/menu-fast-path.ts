import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/server';
import type { ToolContext } from './tool-context.js';
import { MENU_TOOLS, menuToolHandlers } from './tools-menu.js';

/** Answers a call, or undefined to let the SDK answer it. */
export type MenuFastPath = (request: JSONRPCRequest) => Promise<JSONRPCMessage | undefined>;

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
  return async (request) => {
    const params = request.params as { name?: unknown; arguments?: unknown } | undefined;
    const name = params?.name;
    if (!isMenuTool(name)) return undefined;
    const definition = MENU_TOOLS[name];
    const input = definition.inputSchema.safeParse(params?.arguments ?? {});
    if (!input.success) return undefined;
    const result = await run[name](input.data as never);
    if (result.isError !== true && !definition.outputSchema.safeParse(result.structuredContent).success) {
      return undefined;
    }
    return { jsonrpc: '2.0', id: request.id, result } as JSONRPCMessage;
  };
}
