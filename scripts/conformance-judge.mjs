#!/usr/bin/env node
// Judges MCP conformance suite results against a committed baseline, for scripts/conformance.sh
// (`conformance server`) and scripts/conformance-auth.sh (`conformance authorization`). The baseline
// grammar lives here and only here.
//
//   node scripts/conformance-judge.mjs check    # only validate the baseline (before spending time on a run)
//   node scripts/conformance-judge.mjs yaml     # the baseline as the suite's --expected-failures file (server only)
//   node scripts/conformance-judge.mjs report   # judge every run, print one line per run and a summary
//
// Environment: BASELINE (the baseline file), RESULTS (RESULTS/<version>/<scenario>/ holds the suite's
// output dir, its exit code in `rc` and its logs), COMMAND (`server` or `authorization`), SKIPPED
// (scenarios on the calling script's skip list, one a line; optional), TITLE (summary heading).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// What differs between the suite's commands.
const COMMANDS = {
  // `conformance server --expected-failures` judged the same baseline: it exits non-zero only for a
  // failure missing from it or an entry that passed, so it must agree with this program.
  server: { outputPrefix: 'server-', suiteUsesBaseline: true, skippedFails: false },
  // `conformance authorization` takes no baseline and exits 1 when any check of the invocation failed.
  // It reports SKIPPED when it could not exercise a scenario (no client id, no client auth method it
  // can use): the calling script set everything up, so that means something broke.
  authorization: { outputPrefix: 'authorization-server-', suiteUsesBaseline: false, skippedFails: true },
};

const mode = process.argv[2];
const command = COMMANDS[process.env.COMMAND ?? ''];
if (command === undefined || !['check', 'yaml', 'report'].includes(mode)) {
  console.error(
    'usage: COMMAND=server|authorization BASELINE=… RESULTS=… conformance-judge.mjs check|yaml|report',
  );
  process.exit(2);
}
const title = process.env.TITLE ?? 'conformance';
const skipped = new Set((process.env.SKIPPED ?? '').split('\n').filter(Boolean));
const problems = [];

// One `scenario` or `scenario:check-id` per line, each followed by `# reason`.
const entries = [];
readFileSync(process.env.BASELINE, 'utf8')
  .split('\n')
  .forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = `${basename(process.env.BASELINE)}:${index + 1}`;
    const hash = line.indexOf('#');
    const id = (hash === -1 ? line : line.slice(0, hash)).trim();
    const reason = hash === -1 ? '' : line.slice(hash + 1).trim();
    if (!/^[A-Za-z0-9][\w./-]*(:[\w./-]+)?$/.test(id)) {
      problems.push(`${at}: "${id}" is not "scenario" or "scenario:check-id" (no space after the colon)`);
      return;
    }
    if (reason === '') problems.push(`${at}: ${id} has no reason: write one after a #`);
    const [scenario, check] = id.split(':');
    if (skipped.has(scenario)) {
      problems.push(
        `${at}: ${scenario} is on the skip list, so it never runs and cannot be an expected failure`,
      );
    }
    if (entries.some((e) => e.id === id)) problems.push(`${at}: ${id} is listed twice`);
    entries.push({ id, scenario, check, at });
  });
for (const e of entries) {
  if (e.check !== undefined && entries.some((w) => w.check === undefined && w.scenario === e.scenario)) {
    problems.push(`${e.at}: ${e.id} is redundant: the whole of ${e.scenario} is already expected to fail`);
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
if (mode === 'check') process.exit(0);

if (mode === 'yaml') {
  if (!command.suiteUsesBaseline) {
    console.error(
      `conformance-judge: \`conformance ${process.env.COMMAND}\` takes no expected-failures file`,
    );
    process.exit(2);
  }
  const list = entries.map((e) => `  - ${JSON.stringify(e.id)}\n`).join('');
  process.stdout.write(list === '' ? 'server: []\n' : `server:\n${list}`);
  process.exit(0);
}

const failing = (s) => s === 'FAILURE' || s === 'WARNING' || (command.skippedFails && s === 'SKIPPED');
const severity = (s) => (s === 'FAILURE' ? 3 : s === 'WARNING' ? 2 : s === 'SUCCESS' ? 1 : 0);
// One verdict per check id and run, the most severe occurrence winning (as the suite itself does).
function collapse(checks) {
  const byId = new Map();
  for (const c of checks) {
    if (c.status === 'INFO') continue;
    const seen = byId.get(c.id);
    if (seen === undefined || severity(c.status) >= severity(seen.status)) byId.set(c.id, c);
  }
  return [...byId.values()];
}

// The suite writes each scenario's checks to <prefix><scenario>-<timestamp>/checks.json.
const outputs = (dir) =>
  readdirSync(dir).filter(
    (d) => d.startsWith(command.outputPrefix) && existsSync(join(dir, d, 'checks.json')),
  );
const readChecks = (dir, out) => JSON.parse(readFileSync(join(dir, out, 'checks.json'), 'utf8'));
const logs = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f))
    .join(', ');

const runs = [];
const dirs = (path) =>
  readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
for (const version of dirs(process.env.RESULTS)) {
  for (const scenario of dirs(join(process.env.RESULTS, version))) {
    const dir = join(process.env.RESULTS, version, scenario);
    const out = outputs(dir).find((d) => d.startsWith(`${command.outputPrefix}${scenario}-`));
    const checks = out === undefined ? undefined : readChecks(dir, out);
    // Everything this invocation reported: `conformance authorization` runs earlier scenarios first.
    const invocation = outputs(dir).flatMap((d) => readChecks(dir, d));
    const rc = Number(readFileSync(join(dir, 'rc'), 'utf8'));
    runs.push({
      version,
      scenario,
      rc,
      dir,
      invocation,
      checks: checks === undefined ? undefined : collapse(checks),
    });
  }
}

// Does the suite's own exit code say the same as what this program read?
function disagreement(run, bad, nowPassing) {
  const where = `${run.scenario} @ ${run.version}`;
  if (command.suiteUsesBaseline) {
    if (run.rc === 0 || bad.length > 0 || nowPassing.length > 0) return undefined;
    return `${where}: the conformance CLI exited ${run.rc} although this program found nothing wrong; see ${logs(run.dir)}`;
  }
  const anyFailure = run.invocation.some((c) => c.status === 'FAILURE');
  if ((run.rc !== 0) === anyFailure && (run.rc === 0 || run.rc === 1)) return undefined;
  const said = anyFailure ? 'a failed check' : 'no failed check';
  return `${where}: the conformance CLI exited ${run.rc} although its results hold ${said}; see ${logs(run.dir)}`;
}

const whole = new Set(entries.filter((e) => e.check === undefined).map((e) => e.scenario));
const single = new Set(entries.filter((e) => e.check !== undefined).map((e) => e.id));
const unexpected = [];
const stale = [];
let passed = 0;
let expected = 0;
for (const run of runs) {
  if (run.checks === undefined) {
    const timedOut = run.rc === 124 ? ', timed out' : '';
    const why = `no results (the conformance CLI exited ${run.rc}${timedOut})`;
    unexpected.push(`${run.scenario} @ ${run.version}: ${why}; see ${logs(run.dir)}`);
    console.log(`✗ ${run.version}  ${run.scenario}: did not finish`);
    continue;
  }
  const bad = [];
  const nowPassing = [];
  let ok = 0;
  let known = 0;
  for (const c of run.checks) {
    if (c.status === 'SUCCESS') ok += 1;
    if (!failing(c.status)) continue;
    if (whole.has(run.scenario) || single.has(`${run.scenario}:${c.id}`)) known += 1;
    else {
      const detail = `${c.status} ${c.errorMessage ?? c.description ?? ''}`.trim();
      bad.push(`${run.scenario}:${c.id} @ ${run.version}: ${detail}`);
    }
  }
  // A baselined check that passes here, or a baselined scenario with nothing failing here, is stale.
  if (whole.has(run.scenario) && known === 0) {
    nowPassing.push(`${run.scenario}: passes @ ${run.version}: remove it from the baseline`);
  }
  for (const c of run.checks) {
    if (c.status === 'SUCCESS' && single.has(`${run.scenario}:${c.id}`)) {
      nowPassing.push(`${run.scenario}:${c.id}: passes @ ${run.version}: remove it from the baseline`);
    }
  }
  const disagrees = disagreement(run, bad, nowPassing);
  if (disagrees !== undefined) bad.push(disagrees);
  passed += ok;
  expected += known;
  unexpected.push(...bad);
  stale.push(...nowPassing);
  const notes = [`${ok} passed`];
  if (known > 0) notes.push(`${known} expected failure(s)`);
  if (bad.length > 0) notes.push(`${bad.length} UNEXPECTED failure(s)`);
  if (nowPassing.length > 0) notes.push(`${nowPassing.length} stale baseline entry(ies)`);
  const mark = bad.length > 0 || nowPassing.length > 0 ? '✗' : '✓';
  console.log(`${mark} ${run.version}  ${run.scenario}: ${notes.join(', ')}`);
}

// Every entry must also have failed somewhere: one naming a scenario or check that never ran
// (renamed, removed, typo) or never failed excuses nothing and is stale too.
for (const e of entries) {
  const ran = runs.filter((r) => r.scenario === e.scenario && r.checks !== undefined);
  const failed = ran.some((r) =>
    r.checks.some((c) => failing(c.status) && (e.check === undefined || c.id === e.check)),
  );
  if (ran.length === 0)
    stale.push(`${e.id}: ${e.scenario} did not run at any version: remove it from the baseline`);
  else if (!failed && !stale.some((s) => s.startsWith(`${e.id}: `))) {
    stale.push(`${e.id}: did not fail at any version: remove it from the baseline`);
  }
}

const versions = [...new Set(runs.map((r) => r.version))].join(', ');
console.log(`\n${title}: ${runs.length} scenario runs over ${versions}`);
console.log(`  passed checks:      ${passed}`);
console.log(`  expected failures:  ${expected} (${entries.length} baseline entries)`);
console.log(`  failed checks:      ${unexpected.length} not in the baseline`);
console.log(`  stale baseline:     ${stale.length}`);
if (unexpected.length > 0) {
  console.log(`\nFailures not in ${basename(process.env.BASELINE)}:\n  ${unexpected.join('\n  ')}`);
}
if (stale.length > 0) console.log(`\nBaseline entries that no longer fail:\n  ${stale.join('\n  ')}`);
process.exit(unexpected.length > 0 || stale.length > 0 ? 1 : 0);
