/**
 * The behaviour hints of the tools of /mcp and of the ACP binding /acp/mcp (MCP schema, ToolAnnotations;
 * every hint set explicitly, as ChatGPT's app review asks). Here in http/ because both surfaces use them
 * and neither may import the other. No tool reaches beyond this shop, so none is open-world.
 */
export interface ToolHints {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: false;
}

/** Reads the shop, its menu or the customer's orders and changes nothing. */
export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const satisfies ToolHints;

/**
 * Adds to the customer's orders and never removes or overwrites; repeating the call changes nothing
 * more: the same idempotency_key (where the tool requires one) returns the first answer, or the first
 * call's effect cannot happen twice (a session completes once).
 */
export const ADDS = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const satisfies ToolHints;

/** Removes or overwrites what the customer chose earlier (lines, details, the order itself); repeating it changes nothing more. */
export const CHANGES = { ...ADDS, destructiveHint: true } as const satisfies ToolHints;

/**
 * Makes something new on every call unless the caller sends an idempotency key, which the tool does not
 * require (the ACP binding makes meta.idempotency_key optional), so repeating it may add again.
 */
export const CREATES = { ...ADDS, idempotentHint: false } as const satisfies ToolHints;

/**
 * The tool definition with its title also as `annotations.title`: a host without `title` shows
 * `annotations.title` before the name (MCP 2025-06-18 schema, BaseMetadata.title), and the 2025-03-26
 * schema and some directory checklists know only `annotations.title`.
 */
export function titled<T extends { readonly title: string; readonly annotations: ToolHints }>(tool: T) {
  return { ...tool, annotations: { title: tool.title, ...tool.annotations } };
}
