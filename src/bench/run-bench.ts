import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

/** One HTTP scenario: a request against the bare route or the app. */
interface Scenario {
  readonly name: string;
  readonly target: 'bare' | 'app';
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

interface Row {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const SCENARIOS: readonly Scenario[] = [
  { name: 'bare Hono route (baseline)', target: 'bare', path: '/' },
  { name: 'GET /health', target: 'app', path: '/health' },
  { name: 'GET /ready', target: 'app', path: '/ready' },
];

async function startServer(): Promise<{ child: ChildProcess; urls: { bare: string; app: string } }> {
  const child = spawn(process.execPath, [new URL('./bench-server.js', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [first] = (await once(lines, 'line')) as [string];
  return { child, urls: JSON.parse(first) as { bare: string; app: string } };
}

async function measure(url: string, scenario: Scenario, seconds: number): Promise<Row> {
  const result = await autocannon({
    url: url + scenario.path,
    method: scenario.method ?? 'GET',
    body: scenario.body,
    headers: scenario.headers,
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

function printTable(rows: readonly Row[]): void {
  const base = rows[0]?.rps ?? 1;
  console.log(`\nHTTP, ${CONNECTIONS} connections, ${SECONDS} s each, loopback`);
  console.log(
    'scenario'.padEnd(34),
    'req/s'.padStart(9),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'vs bare'.padStart(8),
    'errors'.padStart(7),
  );
  for (const r of rows) {
    console.log(
      r.name.padEnd(34),
      r.rps.toFixed(0).padStart(9),
      r.p50.toFixed(1).padStart(8),
      r.p99.toFixed(1).padStart(8),
      `${((r.rps / base) * 100).toFixed(0)}%`.padStart(8),
      String(r.errors).padStart(7),
    );
  }
}

async function main(): Promise<void> {
  const { child, urls } = await startServer();
  try {
    const rows: Row[] = [];
    for (const scenario of SCENARIOS) {
      const url = scenario.target === 'bare' ? urls.bare : urls.app;
      await measure(url, scenario, 1); // warm-up: JIT, connection pools, SQLite page cache
      rows.push(await measure(url, scenario, SECONDS));
    }
    printTable(rows);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

await main();
