import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/app-error.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth.js';
import { parseJsonBody } from './json-body.js';

/** JSON text nesting objects and arrays `levels` deep: `{"a":[{"a":[…]}]}`. */
function nested(levels: number): string {
  let open = '';
  let close = '';
  for (let level = 0; level < levels; level += 1) {
    open += level % 2 === 0 ? '{"a":' : '[';
    close = (level % 2 === 0 ? '}' : ']') + close;
  }
  return `${open}1${close}`;
}

function refusal(text: string): unknown {
  try {
    parseJsonBody(text);
  } catch (error) {
    return error;
  }
  return 'parsed';
}

describe('the bounded JSON body parse', () => {
  it('gives what JSON.parse gives for ordinary bodies, up to the depth limit', () => {
    const body = '{"jsonrpc":"2.0","id":7,"params":{"lines":[{"item_id":"fries","option_ids":["a"]}]}}';
    expect(parseJsonBody(body)).toEqual(JSON.parse(body));
    expect(parseJsonBody('3')).toBe(3);
    expect(parseJsonBody(nested(MAX_JSON_DEPTH))).toEqual(JSON.parse(nested(MAX_JSON_DEPTH)));
  });

  it('refuses one level past the limit, and 10,000 or 100,000 levels, as invalid_input naming the body', () => {
    for (const levels of [MAX_JSON_DEPTH + 1, 10_000, 100_000]) {
      const error = refusal(nested(levels));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'invalid_input', violations: [{ path: '' }] });
      expect((error as AppError).message).toContain(`${MAX_JSON_DEPTH} levels`);
    }
    expect(refusal(`[${'['.repeat(10_000)}${']'.repeat(10_000)}]`)).toBeInstanceOf(AppError);
  });

  it('throws SyntaxError for text that is not JSON', () => {
    expect(refusal('{"a":')).toBeInstanceOf(SyntaxError);
    expect(refusal('[[[[')).toBeInstanceOf(SyntaxError);
  });

  it('measures depth without recursion; a bare value is no level, a cycle is too deep', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: [], b: { c: 1 } }, 2)).toBe(false);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(nestsDeeperThan(cycle, MAX_JSON_DEPTH)).toBe(true);
  });
});
