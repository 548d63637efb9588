import type { AuthInfo, McpServer, Server } from '@modelcontextprotocol/server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';

/**
 * Answers one 2025-era request (initialize, notifications, batches) with a fresh server on a fresh
 * stateless transport, in plain JSON, then closes both: no session outlives the request.
 */
export function statelessLegacyHandler(
  serverFor: () => McpServer | Server,
): (request: Request, authInfo: AuthInfo, parsedBody: unknown) => Promise<Response> {
  return async (request, authInfo, parsedBody) => {
    const server = serverFor();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { authInfo, parsedBody });
    } finally {
      await transport.close();
      await server.close();
    }
  };
}
