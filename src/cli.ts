#!/usr/bin/env node
// The entry point checks the Node version before anything else is loaded: an older Node would crash in
// the native SQLite addon with a segmentation fault instead of saying what it needs.
import { nodeVersionProblem } from './platform/node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem === null) {
  const { runCli } = await import('./cli/cli-commands.js');
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
