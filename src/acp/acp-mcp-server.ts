import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { AcpToolCall } from './acp-mcp-call.js';
import { ACP_TOOL_LIST } from './acp-mcp-tools.js';
import { ACP_VERSION } from './acp-request.js';

const INSTRUCTIONS = [
  'The Agentic Commerce Protocol checkout of this shop as MCP tools (ACP MCP binding).',
  `Every call takes meta {"api_version": "${ACP_VERSION}"}; state-changing calls also take meta.idempotency_key.`,
  'Flow: create_checkout_session → update_checkout_session (items, buyer, pickup time) → complete_checkout_session with payment_data {"handler_id": "pay_at_pickup"} → get_checkout_session until completed.',
  'Amounts are integers in minor units (1095 = $10.95). An ACP error comes back as JSON-RPC error -32000 with the ACP Error in data.',
].join('\n');

/**
 * The MCP server of the ACP binding: the SDK's low-level Server, because the binding answers ACP errors
 * as JSON-RPC errors (-32000 with data, -32602), which McpServer would turn into isError results.
 */
export function createAcpMcpServer(call: AcpToolCall, version: string): Server {
  const server = new Server(
    { name: 'counterpi-acp', version },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler('tools/list', () => ({ tools: [...ACP_TOOL_LIST] }));
  server.setRequestHandler('tools/call', (request, ctx) => {
    // The route authenticated the API key and put its id here; a tool argument never names it.
    const apiKeyId = ctx.http?.authInfo?.clientId;
    if (apiKeyId === undefined) throw new ProtocolError(ProtocolErrorCode.InternalError, 'No API key.');
    return call(request.params.name, request.params.arguments, apiKeyId);
  });
  return server;
}
