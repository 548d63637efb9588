import { AppError } from './app-error.js';

/**
 * How deep a client's JSON body may nest objects and arrays. Real bodies nest a handful of levels (an
 * ACP checkout's `fulfillment_details.address`, an MCP call's `params.arguments.lines[].option_ids`);
 * 64 leaves ample room for any of them, matches common parsers' default (.NET's System.Text.Json), and
 * stays far below the few thousand levels where a recursive walk (JSON.stringify, zod, our own) runs
 * out of stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How deep the recursive walkers over request values (canonical JSON, card masking) go before they
 * refuse: above MAX_JSON_DEPTH, since they also see values that wrap a body in a few fields of their
 * own, and as far below the stack's end.
 */
export const MAX_WALK_DEPTH = 4 * MAX_JSON_DEPTH;

/**
 * True when `value` nests objects and arrays more than `limit` levels deep (a bare object is one level).
 * Iterative, so a value of any depth is measured without recursion; a cyclic value counts as too deep.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: object[] = [];
  const depths: number[] = [];
  const visit = (child: unknown, depth: number) => {
    if (child !== null && typeof child === 'object') {
      pending.push(child);
      depths.push(depth);
    }
  };
  visit(value, 1);
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    const depth = depths.pop() ?? 1;
    if (depth > limit) return true;
    if (Array.isArray(current)) {
      for (const child of current) visit(child, depth + 1);
    } else {
      // Own keys only: JSON.parse makes plain objects, and a prototype's keys are none of its levels.
      for (const key of Object.keys(current)) visit((current as Record<string, unknown>)[key], depth + 1);
    }
  }
  return false;
}

/** The refusal of a value nested deeper than `limit`: `invalid_input` naming the whole request (`$`). */
export function tooDeep(limit: number): AppError {
  const message = `The request nests objects and arrays deeper than ${limit} levels.`;
  return new AppError('invalid_input', message, {
    violations: [{ code: 'invalid_input', message, path: '' }],
  });
}
