import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { capturePrinter } from './capture-printer.js';
import { oneFlow } from './checkout-flow.js';

/** The appliance's budgets (issue: a year on an SD card). */
export const BUDGETS = {
  bytesPerPaidOrder: 64 * 1024,
  bytesPerReadCall: 2 * 1024,
  vmHwmBytes: 110 * 1024 * 1024,
};

export interface PiBudgets {
  /** Paid orders between two WAL checkpoints: the cycle `bytesPerPaidOrder` is measured over. */
  readonly orders: number;
  readonly bytesPerPaidOrder: number;
  /**
   * Of `bytesPerPaidOrder`, what SQLite appended to the WAL: every page each commit changed, whole. The
   * floor the schema sets; the rest is the fsyncs' rewritten last blocks and the checkpoint's copy.
   */
  readonly walBytesPerPaidOrder: number;
  readonly reads: number;
  readonly bytesPerReadCall: number;
  /** Resident memory high-water mark after the whole workload, in bytes. */
  readonly vmHwmBytes: number;
  readonly vmRssBytes: number;
  /**
   * Of `vmRssBytes`, pages of files: node's own executable above all (its code, and the ICU data that
   * dates, times and text normalization read), clean pages the kernel drops and reads again under
   * pressure. The rest, `RssAnon`, is the process's own memory: heaps, stacks, SQLite's cache.
   */
  readonly rssFileBytes: number;
  readonly rssAnonBytes: number;
  /** Resident memory once serving, before its first request: the floor under the high-water mark. */
  readonly startedRssBytes: number;
}

export interface BudgetUrls {
  readonly app: string;
  readonly acpKey: string;
  readonly token: string;
  readonly shopShiftMs: number;
  /** The server's WAL file: it starts over, smaller, after each checkpoint. */
  readonly wal: string;
}

/** Bytes the process has caused to be written to storage (its threads included): Linux `/proc/PID/io`. */
function writeBytes(pid: number): number {
  const line = /^write_bytes:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return Number(line?.[1] ?? Number.NaN);
}

/** A `kB` line of `/proc/PID/status`, in bytes. */
function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS' | 'RssFile' | 'RssAnon'): number {
  const line = new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? Number.NaN) * 1024;
}

/** How the service starts node: the flags of the unit's ExecStart and the variables of its Environment= lines. */
export interface UnitProcess {
  readonly flags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Read from systemd/counterpi.service itself, so the bench measures the process as the Pi runs it
 * rather than a second copy of its settings.
 */
export function unitProcess(): UnitProcess {
  const unit = readFileSync(new URL('../../systemd/counterpi.service', import.meta.url), 'utf8');
  const flags = /^ExecStart=.*?\bnode((?:\s+--\S+)*)\s/m.exec(unit)?.[1] ?? '';
  // DATA_DIR is where the Pi keeps its data; each bench server makes a data directory of its own.
  const env = [...unit.matchAll(/^Environment=([A-Z_]+)=(\S*)$/gm)]
    .filter(([, name]) => name !== 'DATA_DIR')
    .map(([, name, value]) => [name, value]);
  return { flags: flags.split(/\s+/).filter((flag) => flag !== ''), env: Object.fromEntries(env) };
}

/** Spawns a bench child as the unit runs node: its flags, its environment over this one's, then `env`. */
export function spawnAsUnit(
  script: string,
  stderr: 'ignore' | 'inherit',
  env: Readonly<Record<string, string>> = {},
): ChildProcess {
  const unit = unitProcess();
  return spawn(process.execPath, [...unit.flags, script], {
    stdio: ['ignore', 'pipe', stderr],
    env: { ...process.env, ...unit.env, ...env },
  });
}

async function startBudgetServer(printerPort: number): Promise<{ child: ChildProcess; urls: BudgetUrls }> {
  // Its log goes nowhere: journald's writes on the Pi are journald's, not counterpi's.
  const child = spawnAsUnit(new URL('./budget-server.js', import.meta.url).pathname, 'ignore', {
    PRINTER: `tcp://127.0.0.1:${printerPort}`,
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [first] = (await once(lines, 'line')) as [string];
  return { child, urls: JSON.parse(first) as BudgetUrls };
}

/** A new MCP client's whole visit for one read: initialize, initialized, one search_menu call. */
async function freshClientRead(urls: BudgetUrls): Promise<boolean> {
  const post = (body: unknown) =>
    fetch(`${urls.app}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${urls.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify(body),
    });
  const init = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  });
  await init.text();
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text();
  const call = await post({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'search_menu', arguments: { query: 'cheeseburger', limit: 5 } },
  });
  return call.ok && (await call.text()).includes('cheeseburger');
}

/** One visit, failing loudly: a budget must never measure a failure. */
async function paced(visit: (n: number) => Promise<boolean>, n: number, paceMs: number): Promise<void> {
  const started = performance.now();
  if (!(await visit(n))) throw new Error(`visit ${n} failed: the budget would measure a failure`);
  await sleep(Math.max(0, paceMs - (performance.now() - started)));
}

/** Runs `count` visits one every `paceMs`, as a shop sees them, then lets the last writes settle. */
async function bytesPerVisit(
  pid: number,
  count: number,
  paceMs: number,
  visit: (n: number) => Promise<boolean>,
) {
  const before = writeBytes(pid);
  for (let n = 0; n < count; n += 1) await paced(visit, n, paceMs);
  await sleep(SETTLE_MS);
  return (writeBytes(pid) - before) / count;
}

/**
 * Runs visits until the WAL has been checkpointed and started over, twice, and measures between the
 * two: bytes written per visit over one whole checkpoint cycle, the checkpoint's copy into the database
 * file included, however many visits a cycle holds (about 16 MB of WAL, src/services/audit/audit-writer.ts).
 */
async function bytesPerVisitOverACheckpointCycle(
  pid: number,
  wal: string,
  paceMs: number,
  visit: (n: number) => Promise<boolean>,
): Promise<{ visits: number; bytesPerVisit: number; walBytesPerVisit: number; allVisits: number }> {
  let n = 0;
  /**
   * Visits until the WAL is smaller than after the visit before; its size then, and after that visit
   * before (the largest seen: frames written between that look and the checkpoint, at most one
   * visit's, go uncounted).
   */
  const untilTheWalStartsOver = async () => {
    let size = walBytes(wal);
    for (;;) {
      if (n >= MAX_CYCLE_VISITS) throw new Error(`no WAL checkpoint within ${MAX_CYCLE_VISITS} visits`);
      await paced(visit, n, paceMs);
      n += 1;
      const now = walBytes(wal);
      if (now < size) return { now, largest: size };
      size = now;
    }
  };
  const first = await untilTheWalStartsOver();
  const [before, from] = [writeBytes(pid), n];
  const second = await untilTheWalStartsOver();
  const visits = n - from;
  // The cycle's frames: those after the first start-over up to the checkpoint, and those since the second.
  const walAppended = second.largest - first.now + second.now;
  return {
    visits,
    bytesPerVisit: (writeBytes(pid) - before) / visits,
    walBytesPerVisit: walAppended / visits,
    allVisits: n,
  };
}

function walBytes(wal: string): number {
  return statSync(wal, { throwIfNoEntry: false })?.size ?? 0;
}

// The audit thread writes the reads' rows just after their answers; two seconds leaves room.
const SETTLE_MS = 2_000;
const MAX_CYCLE_VISITS = 5_000;

/** Measures the Pi budgets on counterpi alone in its process: paced reads, paced orders, then a burst. */
export async function measurePiBudgets(options: {
  readonly reads: number;
  readonly paceMs: number;
  /** Load after the paced visits (the bench's own HTTP scenarios), before the high-water mark is read. */
  readonly burst: (urls: BudgetUrls) => Promise<void>;
}): Promise<PiBudgets> {
  // The kitchen printer, in this process: its bytes are the printer's, not the appliance's.
  const printer = await capturePrinter();
  const { child, urls } = await startBudgetServer(printer.port);
  const pid = child.pid as number;
  await sleep(SETTLE_MS);
  const startedRssBytes = statusBytes(pid, 'VmRSS');
  const shopNow = () => new Date(Date.now() + urls.shopShiftMs).toISOString();
  try {
    // Warm-up: first-use writes (the shop's first order of the day, the first client) are not per-order.
    await oneFlow(urls.app, urls.acpKey, -1, shopNow());
    await freshClientRead(urls);
    await sleep(SETTLE_MS);
    const read = await bytesPerVisit(pid, options.reads, options.paceMs, () => freshClientRead(urls));
    const ticketsBefore = printer.tickets();
    const order = await bytesPerVisitOverACheckpointCycle(pid, urls.wal, options.paceMs, (n) =>
      oneFlow(urls.app, urls.acpKey, n, shopNow()),
    );
    await sleep(SETTLE_MS);
    const printed = printer.tickets() - ticketsBefore;
    if (printed !== order.allVisits) throw new Error(`${printed} of ${order.allVisits} tickets printed`);
    await options.burst(urls);
    return {
      orders: order.visits,
      bytesPerPaidOrder: order.bytesPerVisit,
      walBytesPerPaidOrder: order.walBytesPerVisit,
      reads: options.reads,
      bytesPerReadCall: read,
      vmHwmBytes: statusBytes(pid, 'VmHWM'),
      vmRssBytes: statusBytes(pid, 'VmRSS'),
      rssFileBytes: statusBytes(pid, 'RssFile'),
      rssAnonBytes: statusBytes(pid, 'RssAnon'),
      startedRssBytes,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await printer.close();
  }
}
