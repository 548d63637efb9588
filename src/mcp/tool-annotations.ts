/**
 * The behaviour hints of the ordering tools (MCP schema, ToolAnnotations; every hint set explicitly, as
 * ChatGPT's app review asks). No tool reaches beyond this shop, so none is open-world.
 */
interface Hints {
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
} as const satisfies Hints;

/**
 * Adds to the customer's orders and never removes or overwrites; repeating a call with the same
 * idempotency_key (a required argument) returns the first answer and changes nothing more.
 */
export const ADDS = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const satisfies Hints;

/** Removes or overwrites what the customer chose earlier (lines, details, the order itself); idempotent by key. */
export const CHANGES = { ...ADDS, destructiveHint: true } as const satisfies Hints;

/**
 * The tool definition with its title also as `annotations.title`: a host without `title` shows
 * `annotations.title` before the name (MCP 2025-06-18 schema, BaseMetadata.title), and the 2025-03-26
 * schema and some directory checklists know only `annotations.title`.
 */
export function titled<T extends { readonly title: string; readonly annotations: Hints }>(tool: T) {
  return { ...tool, annotations: { title: tool.title, ...tool.annotations } };
}
