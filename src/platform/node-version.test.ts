import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from './node-version.js';

describe('nodeVersionProblem', () => {
  it('accepts Node 22 and newer', () => {
    expect(nodeVersionProblem('22.0.0')).toBeNull();
    expect(nodeVersionProblem('22.23.3')).toBeNull();
    expect(nodeVersionProblem('24.1.0')).toBeNull();
  });

  it('names the Node it needs, the one it found and how to get it, on one line', () => {
    const line = nodeVersionProblem('20.20.2');
    expect(line).toContain('Node.js 22 or newer');
    expect(line).toContain('20.20.2');
    expect(line).toContain('npm install --prefix ~/.cache/node22 node@22');
    expect(line).not.toContain('\n');
    expect(nodeVersionProblem('garbage')).not.toBeNull();
  });

  it('says what package.json tells npm', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(`>=${REQUIRED_NODE_MAJOR}`);
  });
});
