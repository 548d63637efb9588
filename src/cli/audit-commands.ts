import { createWriteStream, renameSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import type { CliIo } from './cli-io.js';
import { openShop, ownerAudit } from './shop-access.js';

const AUDIT_USAGE =
  'Usage: counterpi audit verify | counterpi audit export [--since ISO] [--until ISO] [--action PREFIX] [FILE]\n';

/** The audit log: recompute its hash chain, or write it as CSV. */
export async function runAudit(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'verify' && rest.length === 0) return verifyAudit(config, io);
  if (action === 'export') return exportAudit(rest, config, io);
  io.stderr.write(AUDIT_USAGE);
  return 2;
}

function verifyAudit(config: Config, io: CliIo): number {
  const store = openShop(config, io);
  try {
    const result = ownerAudit(store).verify();
    if (result.ok) {
      io.stdout.write(`Audit log intact: ${result.rows} rows, last hash ${result.lastHash}.\n`);
      return 0;
    }
    io.stderr.write(
      `Audit log broken at row ${result.seq}: ${result.reason}. The ${result.rows} rows before it are intact.\n`,
    );
    return 1;
  } finally {
    store.close();
  }
}

/** An ISO 8601 option as epoch milliseconds; null when it does not parse. */
function instantOption(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

async function exportAudit(args: string[], config: Config, io: CliIo): Promise<number> {
  let parsed: { values: { since?: string; until?: string; action?: string }; positionals: string[] };
  try {
    const options = {
      since: { type: 'string' },
      until: { type: 'string' },
      action: { type: 'string' },
    } as const;
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    io.stderr.write(`${error.message}\n${AUDIT_USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  const sinceMs = instantOption(parsed.values.since);
  const untilMs = instantOption(parsed.values.until);
  if (sinceMs === null || untilMs === null || extra.length > 0) {
    io.stderr.write(`--since and --until take ISO 8601 times, e.g. 2026-11-24T00:00Z.\n${AUDIT_USAGE}`);
    return 2;
  }
  const store = openShop(config, io);
  try {
    // A file appears whole or not at all, as with the feed export.
    const out = file === undefined ? io.stdout : createWriteStream(`${file}.partial`);
    const count = await ownerAudit(store).export(out, {
      sinceMs,
      untilMs,
      actionPrefix: parsed.values.action,
    });
    if (file !== undefined) {
      out.end();
      await finished(out);
      renameSync(`${file}.partial`, file);
    }
    io.stderr.write(`Exported ${count} audit rows${file === undefined ? '' : ` to ${file}`}.\n`);
    return 0;
  } finally {
    store.close();
  }
}
