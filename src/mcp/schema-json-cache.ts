import type { RegisteredTool } from '@modelcontextprotocol/server';

/**
 * The MCP server is built per request, and the SDK converts a tool's output schema to JSON Schema
 * once per instance: this keeps the first conversion of each schema and hands it to the next ones.
 */
export interface SchemaJsonCache {
  reuse(tool: RegisteredTool): RegisteredTool;
}

/** Creates the cache; one per endpoint, shared by every request. */
export function createSchemaJsonCache(): SchemaJsonCache {
  const converted = new WeakMap<object, Record<string, unknown> | undefined>();
  return {
    reuse(tool) {
      const schema = tool.outputSchema as object | undefined;
      if (schema === undefined) return tool;
      if (converted.has(schema)) tool.outputSchemaJson = converted.get(schema);
      else converted.set(schema, tool.outputSchemaJson);
      return tool;
    },
  };
}
