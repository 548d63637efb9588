/**
 * One JSON-RPC message POSTed to /mcp with a bearer token, as a stateless 2025-06-18 client sends it (the
 * route's hot path for tools/call and ping): for tests that hold a real token and read the raw answer.
 */
export function mcpPost(baseUrl: string, token: string, method: string, params?: unknown): Promise<Response> {
  return fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params === undefined ? {} : { params }) }),
  });
}

/** A tools/call through {@link mcpPost}. */
export function mcpToolCall(
  baseUrl: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<Response> {
  return mcpPost(baseUrl, token, 'tools/call', { name, arguments: args });
}
