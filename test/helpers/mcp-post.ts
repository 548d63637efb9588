/**
 * One JSON-RPC message (an object, or raw text sent as it is) POSTed to an MCP endpoint (`/mcp`,
 * `/acp/mcp`) with a bearer token, as a stateless 2025-06-18 client sends it, without a handshake;
 * `headers` add to or replace the protocol's (e.g. another `mcp-protocol-version`).
 */
export function postJsonRpc(
  url: string,
  token: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      authorization: `Bearer ${token}`,
      ...headers,
    },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  });
}

/** One JSON-RPC request to /mcp (the route's hot path for tools/call and ping), for tests that read the raw answer. */
export function mcpPost(baseUrl: string, token: string, method: string, params?: unknown): Promise<Response> {
  return postJsonRpc(`${baseUrl}/mcp`, token, {
    jsonrpc: '2.0',
    id: 1,
    method,
    ...(params === undefined ? {} : { params }),
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
