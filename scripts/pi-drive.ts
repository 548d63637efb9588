/**
 * The host's side of scripts/pi-acceptance.sh: talks to the counterpi installed in the emulated arm64
 * root as a customer's assistant and phone would, and stands in for the kitchen's network printer.
 *
 *   npx tsx scripts/pi-drive.ts --url http://127.0.0.1:PORT --token-file FILE --printer-port PORT
 *
 * It browses the demo menu over MCP with the owner-issued bearer token, places one order, approves it
 * on the confirmation page (a form post with the page's CSRF token and cookie) and waits for the
 * ticket on the printer port; it exits 0 when the ticket reads right and ends with a cut, and the owner's
 * guide is served.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { printedLines, tokenize, unknownTokens } from '../test/escpos.js';
import { capturePrinter, until } from '../test/fixtures/capture-printer.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, 'token-file': { type: 'string' }, 'printer-port': { type: 'string' } },
});
const url = values.url ?? fail('--url is required');
const token = readFileSync(values['token-file'] ?? fail('--token-file is required'), 'utf8').trim();
const printerPort = Number(values['printer-port'] ?? fail('--printer-port is required'));
const TICKET_WAIT_MS = 120_000;

function fail(message: string): never {
  console.error(`pi-drive: ${message}`);
  process.exit(1);
}

function check(ok: boolean, message: string): void {
  if (!ok) fail(message);
  console.log(`pi-drive: ok: ${message}`);
}

type Structured = Record<string, unknown>;

async function customer() {
  const client = new Client({ name: 'counterpi-pi-acceptance', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const call = async (name: string, args: Record<string, unknown>) => {
    const answer = (await client.callTool({ name, arguments: args })) as {
      isError?: boolean;
      structuredContent?: Structured;
      content?: { type: string; text?: string }[];
    };
    if (answer.isError) fail(`${name} failed: ${JSON.stringify(answer.content)}`);
    return answer.structuredContent ?? {};
  };
  return { client, call };
}

/** The customer's phone: opens the confirmation link, keeps its cookie and approves with the form. */
async function approveOnPhone(link: string): Promise<string> {
  const local = url + new URL(link).pathname;
  const page = await fetch(local);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const html = await page.text();
  check(page.status === 200, `the confirmation page answers (${page.status})`);
  const csrf =
    /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? fail('no CSRF token on the confirmation page');
  const done = await fetch(local, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrf, decision: 'approve', payment: 'online' }),
    redirect: 'manual',
  });
  const result = await done.text();
  check(done.status === 200 && result.includes('is paid'), `the approval is taken and paid (${done.status})`);
  return result;
}

async function main(): Promise<void> {
  // The kitchen printer: a raw port on loopback that reads a ticket to its end, then closes.
  const printer = capturePrinter();
  await printer.listen(printerPort);
  const { client, call } = await customer();
  const tools = (await client.listTools()).tools.map((t) => t.name);
  check(tools.includes('search_menu') && tools.includes('place_order'), 'MCP lists the ordering tools');
  const menu = JSON.stringify(await call('search_menu', { query: 'cheeseburger' }));
  check(menu.includes('Cheeseburger'), 'the demo menu is served over MCP with the bearer token');
  const created = await call('create_order', {
    idempotency_key: randomUUID(),
    lines: [{ item_id: 'cheeseburger', quantity: 1 }],
    customer_name: 'Ada Lovelace',
    customer_phone: '+15555550123',
  });
  const orderId = String(created.order_id);
  const placed = await call('place_order', { idempotency_key: randomUUID(), order_id: orderId });
  const link = String(placed.confirmation_url ?? fail('place_order gave no confirmation_url'));
  const code = String(placed.code);
  check(true, `order ${orderId} placed, code ${code}`);
  await approveOnPhone(link);
  await until(() => printer.received.length > 0, TICKET_WAIT_MS).catch(() =>
    fail(`no ticket on the printer within ${TICKET_WAIT_MS / 1000} s`),
  );
  const ticket = printer.received[0] ?? fail('no ticket');
  const tokens = tokenize(ticket.bytes);
  const text = printedLines(tokens)
    .map((l) => l.text)
    .join('\n');
  check(text.includes('Cheeseburger'), 'the ticket lists the cheeseburger');
  check(text.includes(code), `the ticket carries the order code ${code}`);
  const lastCut = tokens.findLastIndex((t) => t.t === 'cut');
  check(lastCut > tokens.findLastIndex((t) => t.t === 'text'), 'the ticket ends in a cut');
  const unknown = unknownTokens(tokens).map((t) => JSON.stringify(t));
  check(unknown.length === 0, `the ticket holds no unknown ESC/POS commands ${unknown.join(' ')}`);
  check(ticket.queried, 'the printer was asked for its status after the ticket');
  // The owner's guide is read from the installed docs/: a bundle without them would answer 404.
  const guide = await fetch(`${url}/admin/guide/owner`);
  const guideHtml = await guide.text();
  check(
    guide.status === 200 && guideHtml.includes('id="forgotten-owner-password"'),
    "the owner's guide is served from the installed docs",
  );
  await client.close();
  await printer.close();
}

main().catch((error: unknown) =>
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
