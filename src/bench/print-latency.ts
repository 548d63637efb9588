import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { databaseFile, startCounterpi } from '../main.js';
import { createLogger } from '../platform/logger.js';
import { openStore } from '../store/database.js';
import { createStationsRepo } from '../store/stations-repo.js';
import { capturePrinter } from './capture-printer.js';

const OPEN_NOON = '2026-11-24T17:00:00Z';
const CUSTOMER_HEADER = 'x-bench-customer';

/**
 * Payment approval to the last byte of that order's ticket at the printer (with stations: of its last
 * station ticket), over every measured order.
 */
export interface PrintLatency {
  readonly orders: number;
  /** Kitchen stations, each with its own printer; 0: the one main printer. */
  readonly stations: number;
  readonly rounds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Approved orders whose ticket never arrived within the round's deadline. */
  readonly missing: number;
}

async function mcpTool(url: string, customer: string, name: string, args: Record<string, unknown>) {
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      [CUSTOMER_HEADER]: customer,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body = (await res.json()) as { result?: { structuredContent?: Record<string, unknown> } };
  return body.result?.structuredContent ?? {};
}

/** One customer's order placed over MCP, with their phone's confirmation page open and ready to approve. */
async function placedOrder(url: string, customer: string, stations: number) {
  const key = (step: string) => `${customer}-${step}`;
  const created = await mcpTool(url, customer, 'create_order', {
    idempotency_key: key('create'),
    lines: [
      { item_id: 'cheeseburger', quantity: 2, option_ids: ['no-onions'], note: 'well done' },
      ...(stations > 0
        ? [
            { item_id: 'fries', quantity: 1 },
            { item_id: 'cola', quantity: 1 },
          ]
        : []),
    ],
    customer_name: 'Bench Customer',
  });
  const orderId = String(created.order_id);
  const placed = await mcpTool(url, customer, 'place_order', {
    idempotency_key: key('place'),
    order_id: orderId,
  });
  const page = url + new URL(String(placed.confirmation_url)).pathname;
  const opened = await fetch(page);
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(await opened.text())?.[1] ?? '';
  const approve = async () => {
    const res = await fetch(page, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ csrf, decision: 'approve', payment: 'online' }),
    });
    await res.arrayBuffer();
  };
  return { orderId, code: String(placed.code), approve };
}

/** The grill, fryer and drinks stations on the given loopback printer ports, set up before the app starts. */
function addStations(dataDir: string, ports: readonly number[]): void {
  if (ports.length === 0) return;
  const store = openStore({ file: databaseFile(dataDir) });
  try {
    const stations = createStationsRepo({ store });
    const names = [
      ['Grill', 'burgers'],
      ['Fryer', 'sides'],
      ['Drinks', 'drinks'],
    ] as const;
    for (const [i, port] of ports.entries()) {
      const [name, category] = names[i] ?? names[0];
      const printer = JSON.stringify({ kind: 'tcp', host: '127.0.0.1', port });
      const id = stations.save({ name, printer, isDefault: i === 0 }, 0);
      stations.setRoutes(id, [{ kind: 'category', targetId: category }]);
    }
  } finally {
    store.close();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!check() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 2));
  return check();
}

/**
 * The kitchen path end to end, in this process, on loopback only: `orders` customers place orders over
 * MCP, then every phone approves at the same instant; each sample runs from sending the approval to the
 * last byte of that order's ticket at a fake network printer. One warm-up round is not counted.
 */
export async function measurePrintLatency(options: {
  orders: number;
  rounds: number;
  /** Stations (up to 3: grill, fryer, drinks), each with its own printer; the sample ends at the last one's ticket. */
  stations?: number;
}): Promise<PrintLatency> {
  const stations = Math.min(3, options.stations ?? 0);
  const printer = await capturePrinter();
  const stationPrinters = await Promise.all(Array.from({ length: stations }, () => capturePrinter()));
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-bench-print-'));
  addStations(
    dataDir,
    stationPrinters.map((p) => p.port),
  );
  // Logs go to a file, as they would to journald: their cost is part of what is measured.
  const log = createLogger({ level: 'info', destination: pino.destination(join(dataDir, 'log.jsonl')) });
  const shift = Date.parse(OPEN_NOON) - Date.now();
  const app = await startCounterpi(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', PRINTER: `tcp://127.0.0.1:${printer.port}` }),
    {
      log,
      clock: { now: () => new Date(Date.now() + shift) },
      resolveCustomer: (header) => ({
        subject: header(CUSTOMER_HEADER) ?? 'bench',
        scopes: ['menu:read', 'order:write'],
      }),
    },
  );
  // Without stations the order's one ticket; with them, the last of its station tickets.
  const doneAt = (order: { orderId: string; code: string }): number | undefined => {
    if (stations === 0) return printer.lastByteAt.get(order.orderId);
    const times = stationPrinters.map((p) => p.lastByteAt.get(order.code));
    return times.some((t) => t === undefined) ? undefined : Math.max(...(times as number[]));
  };
  const samples: number[] = [];
  let missing = 0;
  try {
    for (let round = 0; round <= options.rounds; round += 1) {
      const customers = Array.from({ length: options.orders }, (_, i) => `bench-${round}-${i}`);
      const orders = await Promise.all(customers.map((customer) => placedOrder(app.url, customer, stations)));
      const started = new Map<string, number>();
      await Promise.all(
        orders.map((order) => {
          started.set(order.orderId, performance.now());
          return order.approve();
        }),
      );
      await until(() => orders.every((o) => doneAt(o) !== undefined), 10_000);
      if (round === 0) continue;
      for (const order of orders) {
        const at = doneAt(order);
        if (at === undefined) missing += 1;
        else samples.push(at - (started.get(order.orderId) ?? at));
      }
    }
  } finally {
    await app.stop();
    await printer.close();
    for (const p of stationPrinters) await p.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const sorted = samples.sort((a, b) => a - b);
  return {
    orders: options.orders,
    stations,
    rounds: options.rounds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    missing,
  };
}
