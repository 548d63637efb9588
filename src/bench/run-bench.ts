import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { measureCheckoutFlow } from './checkout-flow.js';
import { BUDGETS, measurePiBudgets, spawnAsUnit, unitProcess } from './pi-budgets.js';
import { measurePrintLatency } from './print-latency.js';
import { measureSearchLatency } from './search-latency.js';

/** One HTTP scenario: a request against the bare route or the app. */
interface Scenario {
  readonly name: string;
  /** The bare route, the app, or the same app without sign-in (a fixed customer, no token). */
  readonly target: 'bare' | 'app' | 'open';
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** A fresh Idempotency-Key on every request (ACP POSTs): each one a new effect, never a replay. */
  readonly freshIdempotencyKey?: boolean;
}

interface Row {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Requests/s as a share of the bare route measured in the same round. */
  readonly ratio: number;
}

/** The bench writes its table to standard output; it is a command, not a logging module. */
function print(...parts: string[]): void {
  process.stdout.write(`${parts.join(' ')}\n`);
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEARCH_QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 20_000);
// Orders placed in the flow run; the demo shop's pickup slots hold several hundred in two days.
const FLOWS = Number(process.env.BENCH_FLOWS ?? 300);
// Rounds of 20 orders approved at once, for the kitchen printer path (plus one warm-up round).
const PRINT_ROUNDS = Number(process.env.BENCH_PRINT_ROUNDS ?? 5);
// Rounds of 20 orders × 3 stations approved at once (plus one warm-up round): fewer, each prints four tickets.
const STATION_ROUNDS = Number(process.env.BENCH_STATION_ROUNDS ?? 3);
// The Pi budgets' paced visits: enough orders that the WAL is checkpointed inside the run (16 MB).
const BUDGET_READS = Number(process.env.BENCH_BUDGET_READS ?? 100);
const BUDGET_PACE_MS = Number(process.env.BENCH_BUDGET_PACE_MS ?? 200);

function mcpSearch(name: string, args: Record<string, unknown>, target: 'app' | 'open' = 'app'): Scenario {
  return {
    name,
    target,
    path: '/mcp',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'search_menu', arguments: args },
    }),
  };
}

const CHECKOUT_BODY = JSON.stringify({
  line_items: [{ id: 'cheeseburger:extra-bacon' }, { id: 'fries' }],
  currency: 'usd',
  capabilities: {},
});

const SCENARIOS: readonly Scenario[] = [
  { name: 'bare Hono route (baseline)', target: 'bare', path: '/' },
  { name: 'GET /health', target: 'app', path: '/health' },
  { name: 'GET /ready', target: 'app', path: '/ready' },
  mcpSearch('MCP tools/call search_menu', { query: 'cheeseburger', limit: 5 }),
  mcpSearch('MCP search_menu, no sign-in', { query: 'cheeseburger', limit: 5 }, 'open'),
  {
    name: 'floor: POST, 1 KB answer, no work',
    target: 'bare',
    path: '/mcp-floor',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: mcpSearch('', {}).body,
  },
  {
    name: 'ACP POST /checkout_sessions',
    target: 'app',
    path: '/checkout_sessions',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-version': '2026-04-17' },
    body: CHECKOUT_BODY,
    freshIdempotencyKey: true,
  },
  {
    name: 'floor: POST, 5 KB answer, no work',
    target: 'bare',
    path: '/checkout-floor',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: CHECKOUT_BODY,
  },
  // available_now depends on the clock: its page is kept for the minute, so the full search runs once a
  // minute and every other call filters nothing; the search itself is timed in-process below.
  mcpSearch('MCP search_menu, available now', { query: 'cheeseburger', limit: 5, available_now: true }),
];

/** Where the bench server listens, and the customer token for the signed-in app. */
interface Urls {
  readonly bare: string;
  readonly app: string;
  readonly open: string;
  readonly token: string;
  readonly acpKey: string;
  /** How far the bench shop's clock runs ahead of this one (it is set to an open Tuesday noon). */
  readonly shopShiftMs: number;
}

async function startServer(): Promise<{
  child: ChildProcess;
  urls: Urls;
}> {
  // Run as the service runs (the unit's node flags): what they cost in throughput shows in the table.
  const child = spawnAsUnit(new URL('./bench-server.js', import.meta.url).pathname, 'inherit');
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(() => {
      throw new Error('the bench server exited before it listened');
    }),
  ]);
  return { child, urls: JSON.parse(first) as Urls };
}

let runs = 0;

async function measure(
  url: string,
  scenario: Scenario,
  seconds: number,
  urls: Urls,
): Promise<Omit<Row, 'ratio'>> {
  runs += 1;
  const runId = runs;
  const auth =
    scenario.target !== 'app'
      ? {}
      : { authorization: `Bearer ${scenario.path === '/mcp' ? urls.token : urls.acpKey}` };
  let sequence = 0;
  const result = await autocannon({
    url: url + scenario.path,
    method: scenario.method ?? 'GET',
    body: scenario.body,
    headers: { ...scenario.headers, ...auth },
    ...(scenario.freshIdempotencyKey === true
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                sequence += 1;
                const headers = { ...request.headers, 'idempotency-key': `bench-${runId}-${sequence}` };
                return { ...request, headers };
              },
            },
          ],
        }
      : {}),
    connections: CONNECTIONS,
    duration: seconds,
  });
  return {
    name: scenario.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs every scenario once per round, interleaved, so drifts in machine load hit all of them alike. */
async function runRounds(urls: Urls): Promise<Row[]> {
  const samples = new Map<string, Row[]>();
  for (let round = 0; round < ROUNDS; round += 1) {
    let bare = 1;
    for (const scenario of SCENARIOS) {
      const url = urls[scenario.target];
      if (round === 0) await measure(url, scenario, 1, urls); // warm-up: JIT, SQLite page cache
      const row = await measure(url, scenario, SECONDS, urls);
      if (scenario.target === 'bare' && scenario.path === '/') bare = row.rps;
      samples.set(scenario.name, [...(samples.get(scenario.name) ?? []), { ...row, ratio: row.rps / bare }]);
    }
  }
  return SCENARIOS.map((scenario) => {
    const rows = samples.get(scenario.name) ?? [];
    return {
      name: scenario.name,
      rps: median(rows.map((r) => r.rps)),
      p50: median(rows.map((r) => r.p50)),
      p99: median(rows.map((r) => r.p99)),
      errors: rows.reduce((sum, r) => sum + r.errors, 0),
      ratio: median(rows.map((r) => r.ratio)),
    };
  });
}

function printTable(rows: readonly Row[]): void {
  print(`\nHTTP on loopback, ${CONNECTIONS} connections, ${SECONDS} s per run, median of ${ROUNDS} rounds`);
  print(
    'scenario'.padEnd(34),
    'req/s'.padStart(9),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'vs bare'.padStart(8),
    'errors'.padStart(7),
  );
  for (const r of rows) {
    print(
      r.name.padEnd(34),
      r.rps.toFixed(0).padStart(9),
      r.p50.toFixed(1).padStart(8),
      r.p99.toFixed(1).padStart(8),
      `${(r.ratio * 100).toFixed(0)}%`.padStart(8),
      String(r.errors).padStart(7),
    );
  }
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** The appliance's budgets: bytes written per paid order and per read call, and the memory high-water mark. */
async function printPiBudgets(): Promise<void> {
  const budgets = await measurePiBudgets({
    reads: BUDGET_READS,
    paceMs: BUDGET_PACE_MS,
    // Then the bench's own load on the app, so the high-water mark is the one a busy moment leaves.
    burst: async (b) => {
      const urls: Urls = { bare: '', open: '', ...b };
      for (const scenario of SCENARIOS.filter((s) => s.target === 'app'))
        await measure(b.app, scenario, SECONDS, urls);
    },
  });
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
  const unit = unitProcess();
  const env = Object.entries(unit.env).map(([name, value]) => `${name}=${value}`);
  print(
    `\nPi budgets: counterpi alone in its process, run as the unit runs it: ${[...env, 'node', ...unit.flags].join(' ')}`,
  );
  print(
    `bytes written per paid order: ${kb(budgets.bytesPerPaidOrder)} over the ${budgets.orders} ACP orders (one every ${BUDGET_PACE_MS} ms) between two WAL checkpoints, the second included (budget ${kb(BUDGETS.bytesPerPaidOrder)})`,
  );
  print(
    `  of them SQLite's WAL frames, every page each commit changed: ${kb(budgets.walBytesPerPaidOrder)}, the floor the schema sets`,
  );
  print(
    `bytes written per read call: ${kb(budgets.bytesPerReadCall)} over ${budgets.reads} new MCP clients (initialize + search_menu) (budget ${kb(BUDGETS.bytesPerReadCall)})`,
  );
  print(
    `memory: VmHWM ${mb(budgets.vmHwmBytes)} after the paced visits and ${SECONDS} s of each app scenario, VmRSS ${mb(budgets.vmRssBytes)} (budget ${mb(BUDGETS.vmHwmBytes)})`,
  );
  print(
    `  of the VmRSS, pages of files (node's executable above all: its code and ICU data) ${mb(budgets.rssFileBytes)}, the process's own memory ${mb(budgets.rssAnonBytes)}`,
  );
  print(
    `  serving, before its first request: VmRSS ${mb(budgets.startedRssBytes)}, the floor under the high-water mark`,
  );
}

async function main(): Promise<void> {
  const { child, urls } = await startServer();
  try {
    const rows = await runRounds(urls);
    printTable(rows);
    const signedIn = rows.find((r) => r.name === 'MCP tools/call search_menu');
    const open = rows.find((r) => r.name === 'MCP search_menu, no sign-in');
    if (signedIn !== undefined) {
      print(
        `\nMCP tools/call search_menu: ${(signedIn.ratio * 100).toFixed(0)}% of the bare route, p99 ${signedIn.p99.toFixed(0)} ms (target: at least 30%, p99 < 15 ms)`,
      );
    }
    if (signedIn !== undefined && open !== undefined) {
      const cost = (1 - signedIn.rps / open.rps) * 100;
      print(`verifying the bearer token costs ${cost.toFixed(0)}% of MCP throughput (target: within 15%)`);
    }
    const flow = await measureCheckoutFlow(urls.app, urls.acpKey, {
      flows: FLOWS,
      concurrency: 8,
      shopNow: () => new Date(Date.now() + urls.shopShiftMs).toISOString(),
    });
    print(
      `ACP checkout flow (create → update → delegate card → complete, 8 agents at a time): ${flow.ordersPerSecond.toFixed(0)} paid orders/s over ${flow.flows} orders, ${flow.failed} failed`,
    );
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  await printPiBudgets();
  // In-process, with the server stopped so the two cores are free for it.
  const search = measureSearchLatency({ items: 5000, queries: SEARCH_QUERIES });
  print(`\nmenu search over a generated 5,000-item catalog, ${search.queries} queries`);
  print(
    `p50 ${search.p50Ms.toFixed(3)} ms   p99 ${search.p99Ms.toFixed(3)} ms   max ${search.maxMs.toFixed(3)} ms   (target: p99 < 2 ms)`,
  );
  const printing = await measurePrintLatency({ orders: 20, rounds: PRINT_ROUNDS });
  print(
    `\nkitchen printer: payment approval → last ticket byte at a loopback printer, ${printing.orders} orders approved at once, ${printing.rounds} rounds`,
  );
  print(
    `p50 ${printing.p50Ms.toFixed(1)} ms   p99 ${printing.p99Ms.toFixed(1)} ms   max ${printing.maxMs.toFixed(1)} ms   ${printing.missing} missing   (target: p99 < 500 ms)`,
  );
  const stations = await measurePrintLatency({ orders: 20, rounds: STATION_ROUNDS, stations: 3 });
  print(
    `\nkitchen stations: payment approval → last station ticket byte, ${stations.orders} orders × ${stations.stations} stations (three loopback printers, plus the expo one) approved at once, ${stations.rounds} rounds`,
  );
  print(
    `p50 ${stations.p50Ms.toFixed(1)} ms   p99 ${stations.p99Ms.toFixed(1)} ms   max ${stations.maxMs.toFixed(1)} ms   ${stations.missing} missing   (target: p99 < 500 ms)`,
  );
}

await main();
