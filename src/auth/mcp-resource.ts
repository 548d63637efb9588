/** Scopes the MCP resource understands: `menu:read` browses, `order:write` orders. */
export const MCP_SCOPES = ['menu:read', 'order:write'] as const;

/** The resource indicator (RFC 8707) and token audience of the MCP endpoint. */
export function mcpResource(publicUrl: string): string {
  return `${publicUrl}/mcp`;
}

/** Protected Resource Metadata for the MCP endpoint (RFC 9728 §2). */
export function protectedResourceMetadata(publicUrl: string): Record<string, unknown> {
  return {
    resource: mcpResource(publicUrl),
    authorization_servers: [publicUrl],
    scopes_supported: [...MCP_SCOPES],
    bearer_methods_supported: ['header'],
  };
}
