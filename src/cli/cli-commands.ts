import { readFileSync } from 'node:fs';
import { OWNER_TOKEN_DEFAULT_DAYS, OWNER_TOKEN_MAX_DAYS } from '../auth/owner-tokens.js';
import { loadConfig, readEnvironment } from '../config/config.js';
import { isAppError } from '../domain/app-error.js';
import { runAudit } from './audit-commands.js';
import { runBackup, runRestore } from './backup-commands.js';
import { type CliIo, type Command, describeFailure } from './cli-io.js';
import { runFeed } from './feed-command.js';
import { runAcpKey, runKeys } from './key-commands.js';
import { runMenu } from './menu-commands.js';
import { runStart } from './start-command.js';
import { runToken } from './token-commands.js';
import { runWebhook } from './webhook-command.js';

const USAGE = `counterpi — an ordering appliance for small shops

Usage:
  counterpi start                          serve the shop (configured by environment variables or .env)
  counterpi menu import FILE [--format csv|json]
                                           replace the whole menu from a CSV or JSON file (all or nothing)
  counterpi menu export [--format csv|json] write the menu to standard output (default csv)
  counterpi backup FILE                    copy the database to FILE while the shop keeps running
  counterpi restore FILE                   put a backup in place of the database (stop counterpi first); the
                                           database it replaces is kept beside it as .before-restore-<time>;
                                           an encrypted copy (.db.age) takes [--passphrase-file FILE]
  counterpi feed export DIR [--force]      write the menu as an ACP product feed: DIR/metadata.json and
                                           DIR/products.jsonl (replaces an earlier export; a directory with
                                           other files is refused unless --force)
  counterpi token issue --name NAME [--scope "menu:read order:write"] [--days N]
                                           print an access token for /mcp (MCP Inspector, a static Authorization
                                           header), shown once; ${OWNER_TOKEN_DEFAULT_DAYS} days by default, ${OWNER_TOKEN_MAX_DAYS} at most. NAME is
                                           the customer: the same NAME again (any case) orders as the same one
  counterpi token list                     list issued tokens: id, name, scopes, dates, active/expired/revoked
  counterpi token revoke ID                revoke a token (the id token list shows); /mcp refuses it at once
  counterpi keys rotate                    make a new signing key; the previous keys stay published until
                                           the tokens they signed expire. Restart counterpi to use it.
  counterpi acp-key create --name NAME     create an API key for an agent platform calling the ACP API;
                                           the key is printed once and only its hash is kept
  counterpi acp-key list                   list API keys: id, name, last characters, created, active/revoked
  counterpi acp-key revoke ID              revoke a key; the running server refuses it within a second
  counterpi audit verify                   recompute the audit log's hash chain; exit 1 naming the first
                                           changed, removed or reordered row
  counterpi audit export [--since ISO] [--until ISO] [--action PREFIX] [FILE]
                                           write the audit log as CSV to FILE or standard output
  counterpi webhook add URL                send signed ACP order events to URL (https to a public address;
                                           WEBHOOK_PRIVATE_RECEIVERS allows addresses on the shop's own
                                           network, over http too); prints the signing secret once
  counterpi webhook list                   list webhook endpoints: id, url, created, pending/failed/delivered
  counterpi webhook remove ID              stop sending to an endpoint; its pending deliveries are given up
  counterpi help                           show this text
`;

const commands: Record<string, Command> = {
  start: runStart,
  backup: runBackup,
  restore: runRestore,
  menu: runMenu,
  feed: runFeed,
  token: runToken,
  keys: runKeys,
  'acp-key': runAcpKey,
  audit: runAudit,
  webhook: runWebhook,
};

/**
 * Runs `counterpi ARGV` and resolves with its exit status; a failure is told on stderr, never thrown. The
 * entry point (cli.ts) passes the process's own streams; tests pass their own and read what was written.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === '--version') {
    io.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr.write(`${describeFailure(error)}\n`);
    return isAppError(error, 'store_missing') ? EXIT_NEEDS_OWNER : 1;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return command(rest, loadConfig(readEnvironment(io.env, process.cwd())), io);
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The exit status of a start refused until the owner acts (a lost database to restore): sysexits'
 * EX_CONFIG. The systemd unit names it in RestartPreventExitStatus, so it is not restarted every few
 * seconds for nothing; every other failure (a full disk, a printer) is worth a restart.
 */
const EXIT_NEEDS_OWNER = 78;
