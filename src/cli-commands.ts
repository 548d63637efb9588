import {
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { DestinationStream } from 'pino';
import {
  type KeyRotation,
  loadOrCreateAcpSigningRoot,
  loadOrCreateSigningKeys,
  rotateSigningKeys,
} from './auth/key-files.js';
import {
  describeIssuedToken,
  formatOwnerTokens,
  issueOwnerToken,
  LONGEST_SIGNED_TOKEN_SECONDS,
  OWNER_TOKEN_DEFAULT_DAYS,
  OWNER_TOKEN_MAX_DAYS,
  parseOwnerTokenRequest,
} from './auth/owner-tokens.js';
import { type Config, ConfigError, loadConfig, readEnvironment } from './config/config.js';
import { isAppError } from './domain/app-error.js';
import { shortTokenId } from './domain/owner-token.js';
import { databaseFile, shopStoreDeps, startCounterpi } from './main.js';
import { systemClock } from './platform/clock.js';
import { randomIds } from './platform/ids.js';
import { createLogger } from './platform/logger.js';
import { createSdNotify } from './platform/sd-notify.js';
import { type AuditLog, createAuditLog } from './services/audit/audit-log.js';
import { createAcpKeys, SIGNATURE_WINDOW_SECONDS } from './services/checkout/acp-keys.js';
import { createMenuCache } from './services/menu/menu-cache.js';
import { createMenuImporter } from './services/menu/menu-import.js';
import { createProductFeed, type FeedMetadata, type FeedProduct } from './services/menu/product-feed.js';
import { listBackups } from './services/operations/backups.js';
import { restoreBackup } from './services/operations/restore-encrypted.js';
import { openShopStore } from './services/operations/shop-guard.js';
import { createShopService } from './services/shop/shop-service.js';
import { createReceiverPolicy } from './services/webhooks/receiver-address.js';
import { createWebhookEndpoints } from './services/webhooks/webhook-endpoints.js';
import { createAcpKeysRepo } from './store/acp-keys-repo.js';
import { createAuditRepo } from './store/audit-repo.js';
import { createCatalogRepo } from './store/catalog-repo.js';
import { openStore, type Store } from './store/database.js';
import { SCHEMA_VERSION, schemaVersion } from './store/migrations.js';
import { createOrdersRepo } from './store/orders-repo.js';
import { createOwnerTokensRepo, type OwnerTokensRepo } from './store/owner-tokens-repo.js';
import { createSettingsRepo } from './store/settings-repo.js';
import { createWebhookRepo } from './store/webhook-repo.js';

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

/** Where a command reads its environment and writes its output: the process's own, or a test's. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Where `start` logs; stdout through pino's own asynchronous writer when omitted. */
  readonly startLog?: DestinationStream;
}

type Command = (args: string[], config: Config, io: CliIo) => Promise<number>;

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

/** Largest menu file accepted: a big menu is a few hundred KB. */
const MAX_MENU_FILE_BYTES = 20 * 1024 * 1024;

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

async function runStart(_args: string[], config: Config, io: CliIo): Promise<number> {
  const log = createLogger({ level: config.logLevel, destination: io.startLog });
  // READY, WATCHDOG and STOPPING for the Type=notify unit (systemd/counterpi.service); silent outside systemd.
  const systemd = createSdNotify({
    env: io.env,
    pid: process.pid,
    log: log.child({ module: 'systemd' }),
  });
  const app = await startCounterpi(config, { log });
  await systemd.notify({ READY: '1', STATUS: `serving ${config.publicUrl}` });
  // Pings stop by themselves when the event loop stalls; they are withheld when the database stops answering.
  const stopWatchdog = systemd.startWatchdog(() => schemaVersion(app.store.db) === SCHEMA_VERSION);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  stopWatchdog();
  await systemd.notify({ STOPPING: '1' });
  await app.stop();
  log.flush();
  return 0;
}

async function runBackup(args: string[], config: Config, io: CliIo): Promise<number> {
  const [file] = args;
  if (file === undefined) {
    io.stderr.write('Usage: counterpi backup FILE\n');
    return 2;
  }
  const store = openShop(config, io);
  try {
    await store.backup(file);
  } finally {
    store.close();
  }
  io.stderr.write(`Backed up ${databaseFile(config.dataDir)} to ${file}\n`);
  return 0;
}

/**
 * Puts a backup in place of the database. It refuses while anything has the database open (the server,
 * another command): the lock SQLite gives one connection alone is the test, so no pid file can go stale.
 */
async function runRestore(args: string[], config: Config, io: CliIo): Promise<number> {
  const dir = join(config.dataDir, 'backups');
  let parsed: { values: { 'passphrase-file'?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { 'passphrase-file': { type: 'string' } }, allowPositionals: true });
  } catch {
    parsed = { values: {}, positionals: [] };
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0 || file.startsWith('-')) {
    io.stderr.write(`Usage: counterpi restore FILE [--passphrase-file FILE]
  (an encrypted copy, FILE.db.age, needs the backup passphrase: --passphrase-file /dev/stdin reads it piped in)
${describeBackups(dir)}`);
    return 2;
  }
  const passphraseFile = parsed.values['passphrase-file'];
  // The passphrase is read from a file (or a pipe), never from the command line where `ps` shows it.
  const passphrase =
    passphraseFile === undefined ? undefined : readFileSync(passphraseFile, 'utf8').split('\n')[0]?.trim();
  const result = await restoreBackup(
    { database: databaseFile(config.dataDir), dataDir: config.dataDir, clock: systemClock },
    file,
    passphrase,
  );
  if (!result.ok) {
    io.stderr.write(`${result.message}\n`);
    return 1;
  }
  const store = openStore({ file: databaseFile(config.dataDir) });
  try {
    ownerAudit(store).record(ownerAction('restore', undefined, { file, previous: result.previous }));
  } finally {
    store.close();
  }
  io.stderr.write(
    `Restored ${file}: ${result.items} menu items, ${result.orders} orders (schema ${result.schemaVersion}).\n` +
      (result.previous === undefined ? '' : `The database it replaced is kept as ${result.previous}.\n`) +
      'Start counterpi again: sudo systemctl start counterpi\n',
  );
  return 0;
}

/** The nightly backups a restore can take, newest first. */
function describeBackups(dir: string): string {
  const backups = listBackups(dir);
  if (backups.length === 0) return `No nightly backups in ${dir} yet.\n`;
  const lines = backups.map(
    (b) => `  ${b.file}  ${(b.bytes / 1024).toFixed(0)} KB  ${b.at.toISOString().slice(0, 16)}Z`,
  );
  return `Nightly backups, newest first:\n${lines.join('\n')}\n`;
}

/**
 * Opens the shop's store for a one-off command: the same shop `start` serves, seeded on first use, and
 * refused as `start` refuses it when the database is lost (only `restore` goes on without it).
 */
function openShop(config: Config, io: CliIo): Store {
  const log = createLogger({ level: config.logLevel, destination: io.stderr });
  return openShopStore(shopStoreDeps(config, systemClock, log));
}

function withShop<T>(config: Config, io: CliIo, fn: (store: Store) => T): T {
  const store = openShop(config, io);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

async function runMenu(args: string[], config: Config, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' } },
    allowPositionals: true,
  });
  const [action, file] = positionals;
  const format = values.format ?? (action === 'export' ? 'csv' : 'auto');
  if (!['csv', 'json', 'auto'].includes(format) || (action === 'export' && format === 'auto')) {
    io.stderr.write('--format must be csv or json\n');
    return 2;
  }
  if (action === 'export') {
    const text = withShop(config, io, (store) => importerFor(store).exportMenu(format as 'csv' | 'json'));
    io.stdout.write(text);
    return 0;
  }
  if (action !== 'import' || file === undefined) {
    io.stderr.write(
      'Usage: counterpi menu import FILE [--format csv|json] | counterpi menu export [--format csv|json]\n',
    );
    return 2;
  }
  if (statSync(file).size > MAX_MENU_FILE_BYTES) {
    io.stderr.write(`${file} is larger than 20 MB; that is not a menu file.\n`);
    return 1;
  }
  const text = readFileSync(file, 'utf8');
  const counts = withShop(config, io, (store) =>
    store.transaction(() => {
      const imported = importerFor(store).importMenu(text, { format: format as 'csv' | 'json' | 'auto' });
      ownerAudit(store).record(ownerAction('menu.import', undefined, { file, format, ...imported }));
      return imported;
    }),
  );
  io.stderr.write(
    `Imported ${counts.items} items in ${counts.categories} categories with ${counts.groups} option groups.\n`,
  );
  return 0;
}

const FEED_USAGE = 'Usage: counterpi feed export DIR [--force]\n';

/** An offline full replacement (ACP feeds RFC §3.4): FeedMetadata, and one Product per line. */
const FEED_FILES: readonly string[] = ['metadata.json', 'products.jsonl'];

async function runFeed(args: string[], config: Config, io: CliIo): Promise<number> {
  let parsed: { values: { force?: boolean | undefined }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { force: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    io.stderr.write(`${error.message}\n${FEED_USAGE}`);
    return 2;
  }
  const [action, dir, ...extra] = parsed.positionals;
  if (action !== 'export' || dir === undefined || extra.length > 0) {
    io.stderr.write(FEED_USAGE);
    return 2;
  }
  const others = entriesBesidesFeed(dir);
  if (others === undefined || (others.length > 0 && parsed.values.force !== true)) {
    io.stderr.write(
      others === undefined
        ? `${dir} is a file, not a directory; nothing was written.\n`
        : `${dir} holds other files (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); ` +
            'nothing was written. Export into an empty or new directory, or add --force to write ' +
            'metadata.json and products.jsonl beside them.\n',
    );
    return 1;
  }
  const { metadata, products } = withShop(config, io, (store) => feedOf(store));
  mkdirSync(dir, { recursive: true });
  // Products first, metadata (with updated_at) last; each file appears whole or not at all.
  replaceFile(join(dir, 'products.jsonl'), products.map((p) => `${JSON.stringify(p)}\n`).join(''));
  replaceFile(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  io.stderr.write(
    `Wrote ${products.length} products to ${join(dir, 'products.jsonl')} and ${join(dir, 'metadata.json')}.\n`,
  );
  return 0;
}

function feedOf(store: Store): { metadata: FeedMetadata; products: readonly FeedProduct[] } {
  const shop = createShopService({
    settings: createSettingsRepo({ store, clock: systemClock }),
    clock: systemClock,
  });
  const menu = createMenuCache({ catalog: createCatalogRepo({ store }) });
  const feed = createProductFeed({ menu, shop, clock: systemClock });
  return { metadata: feed.metadata(), products: feed.products() };
}

/** What a directory holds besides an earlier export (none when it does not exist); undefined for a file. */
function entriesBesidesFeed(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).filter((name) => !FEED_FILES.some((f) => name === f || name === `${f}.partial`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function replaceFile(file: string, text: string): void {
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
}

const TOKEN_USAGE =
  'Usage: counterpi token issue --name NAME [--scope "menu:read order:write"] [--days N]\n' +
  '       counterpi token list | counterpi token revoke ID\n';

async function runToken(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'issue') return issueToken(rest, config, io);
  if (action === 'list' && rest.length === 0)
    return withTokens(config, io, (tokens) => listTokens(tokens, io));
  const [id] = rest;
  if (action === 'revoke' && id !== undefined && rest.length === 1)
    return withTokens(config, io, (tokens, store) => revokeToken(tokens, id, store, io));
  io.stderr.write(TOKEN_USAGE);
  return 2;
}

async function issueToken(args: string[], config: Config, io: CliIo): Promise<number> {
  let request: ReturnType<typeof parseOwnerTokenRequest>;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { name: { type: 'string' }, scope: { type: 'string' }, days: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new TypeError(`unexpected argument "${positionals[0]}"`);
    request = parseOwnerTokenRequest(values);
  } catch (error) {
    if (!(error instanceof TypeError) && !isAppError(error, 'invalid_input')) throw error;
    const problem = error instanceof TypeError ? error.message : describeFailure(error);
    io.stderr.write(`${problem}\n${TOKEN_USAGE}`);
    return 2;
  }
  const issued = await withTokens(config, io, async (tokens, store) => {
    const token = await issueOwnerToken(
      {
        ledger: tokens,
        signingKeys: await loadOrCreateSigningKeys(config.dataDir),
        publicUrl: config.publicUrl,
        clock: systemClock,
        ids: randomIds,
      },
      request,
    );
    ownerAudit(store).record(ownerAction('token.issue', token.jti, request));
    return token;
  });
  io.stdout.write(`${issued.token}\n`);
  io.stderr.write(describeIssuedToken(issued, request, config.publicUrl));
  return 0;
}

function listTokens(tokens: OwnerTokensRepo, io: CliIo): number {
  const all = tokens.list();
  if (all.length === 0)
    io.stderr.write('No tokens issued. Issue one with: counterpi token issue --name NAME\n');
  else io.stdout.write(formatOwnerTokens(all, systemClock.now()));
  return 0;
}

function revokeToken(tokens: OwnerTokensRepo, id: string, store: Store, io: CliIo): number {
  const matches = tokens.find(id);
  const [token] = matches;
  if (token === undefined || matches.length > 1) {
    io.stderr.write(
      token === undefined
        ? `No token ${id}; counterpi token list shows their ids.\n`
        : `${id} matches ${matches.length} tokens; give more of its id.\n`,
    );
    return 1;
  }
  if (tokens.revoke(token.jti, systemClock.now().getTime())) {
    ownerAudit(store).record(ownerAction('token.revoke', token.jti));
    io.stderr.write(`Revoked ${shortTokenId(token.jti)} ("${token.name}"): /mcp refuses it from now on.\n`);
  } else {
    io.stderr.write(`${shortTokenId(token.jti)} ("${token.name}") was already revoked.\n`);
  }
  return 0;
}

/** Opens the shop's store for a token command. */
async function withTokens<T>(
  config: Config,
  io: CliIo,
  fn: (tokens: OwnerTokensRepo, store: Store) => T | Promise<T>,
): Promise<T> {
  const store = openShop(config, io);
  try {
    return await fn(createOwnerTokensRepo({ store, orders: createOrdersRepo({ store }) }), store);
  } finally {
    store.close();
  }
}

async function runKeys(args: string[], config: Config, io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] !== 'rotate') {
    io.stderr.write('Usage: counterpi keys rotate\n');
    return 2;
  }
  // The shop first: a lost database is refused before any key file changes.
  const store = openShop(config, io);
  let rotation: KeyRotation;
  try {
    rotation = await rotateSigningKeys(config.dataDir, {
      now: systemClock.now(),
      retainSeconds: LONGEST_SIGNED_TOKEN_SECONDS,
    });
    ownerAudit(store).record(
      ownerAction('keys.rotate', rotation.signing, {
        kept: rotation.kept.length,
        dropped: rotation.dropped.length,
      }),
    );
  } finally {
    store.close();
  }
  const { signing, kept, dropped } = rotation;
  io.stderr.write(
    `New signing key ${signing}.\n` +
      `Kept ${kept.length} previous key(s), so the tokens they signed keep working until they expire` +
      (dropped.length > 0
        ? `; dropped ${dropped.length} retired over ${OWNER_TOKEN_MAX_DAYS} days ago.\n`
        : '.\n') +
      'Restart counterpi now (sudo systemctl restart counterpi): until then it signs with the previous key,\n' +
      'and tokens from "counterpi token issue" are refused.\n',
  );
  return 0;
}

function importerFor(store: Store) {
  return createMenuImporter({
    catalog: createCatalogRepo({ store }),
    settings: createSettingsRepo({ store, clock: systemClock }),
  });
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
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

function describeFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (isAppError(error)) {
    const lines = error.violations.map((v) => `- ${v.path === undefined ? '' : `${v.path}: `}${v.message}`);
    return [error.message, ...lines].join('\n');
  }
  return error instanceof Error ? `counterpi failed: ${error.message}` : 'counterpi failed';
}

const ACP_KEY_USAGE =
  'Usage: counterpi acp-key create --name NAME [--sign] | counterpi acp-key list | counterpi acp-key revoke ID\n';

/** API keys for agent platforms calling the ACP endpoints (checkout sessions, delegated payment). */
async function runAcpKey(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const store = openShop(config, io);
  try {
    const keys = createAcpKeys({
      repo: createAcpKeysRepo({ store }),
      clock: systemClock,
      ids: randomIds,
      signingRoot: loadOrCreateAcpSigningRoot(config.dataDir),
    });
    if (action === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, sign: { type: 'boolean' } },
        strict: true,
      });
      if (values.name === undefined) {
        io.stderr.write(ACP_KEY_USAGE);
        return 2;
      }
      const name = values.name;
      const { key, secret, signingSecret } = store.transaction(() => {
        const created = keys.create(name, { signing: values.sign === true });
        ownerAudit(store).record(ownerAction('acp-key.create', created.key.id, { name }));
        return created;
      });
      io.stdout.write(`${secret}\n`);
      if (signingSecret !== undefined) io.stdout.write(`${signingSecret}\n`);
      io.stderr.write(
        `API key ${key.id} ("${key.name}") created. Give it to the agent platform as "Authorization: Bearer <key>" for ${config.publicUrl}; it is shown only this once. Revoke it with: counterpi acp-key revoke ${key.id}\n`,
      );
      if (signingSecret !== undefined) {
        io.stderr.write(
          `The second line is its request-signing secret: every request must carry Timestamp (RFC 3339, within ${SIGNATURE_WINDOW_SECONDS} s) and Signature = base64url(HMAC-SHA256(secret, Timestamp + "\\n" + METHOD + "\\n" + path + "\\n" + canonical JSON body)).\n`,
        );
      }
      return 0;
    }
    if (action === 'list' && rest.length === 0) {
      const all = keys.list();
      if (all.length === 0)
        io.stderr.write('No API keys. Create one with: counterpi acp-key create --name NAME\n');
      for (const k of all) {
        const state = k.revokedAt === undefined ? 'active' : `revoked ${new Date(k.revokedAt).toISOString()}`;
        io.stdout.write(`${k.id}  ${k.name}  …${k.hint}  ${new Date(k.createdAt).toISOString()}  ${state}\n`);
      }
      return 0;
    }
    const [id] = rest;
    if (action === 'revoke' && id !== undefined && rest.length === 1) {
      const key = store.transaction(() => {
        const revoked = keys.revoke(id);
        ownerAudit(store).record(ownerAction('acp-key.revoke', revoked.id));
        return revoked;
      });
      io.stderr.write(`Revoked ${key.id} ("${key.name}"): the ACP API refuses it from now on.\n`);
      return 0;
    }
    io.stderr.write(ACP_KEY_USAGE);
    return 2;
  } finally {
    store.close();
  }
}

const WEBHOOK_USAGE =
  'Usage: counterpi webhook add URL | counterpi webhook list | counterpi webhook remove ID\n';

/** Where signed ACP order events (order_create, order_update) are sent. */
async function runWebhook(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const [arg] = rest;
  if (!((action === 'list' && rest.length === 0) || (arg !== undefined && rest.length === 1))) {
    io.stderr.write(WEBHOOK_USAGE);
    return 2;
  }
  const store = openShop(config, io);
  try {
    const endpoints = createWebhookEndpoints({
      repo: createWebhookRepo({ store }),
      clock: systemClock,
      ids: randomIds,
      receivers: createReceiverPolicy(config.webhookPrivateReceivers),
    });
    if (action === 'add' && arg !== undefined) {
      const { endpoint, secret } = endpoints.add(arg);
      io.stdout.write(`${secret}\n`);
      io.stderr.write(
        `Webhook endpoint ${endpoint.id} created for ${endpoint.url}. The line above is its signing secret, shown only this once: give it to the receiver, which checks Merchant-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" keyed with the whole secret>). Remove it with: counterpi webhook remove ${endpoint.id}\n`,
      );
      return 0;
    }
    if (action === 'list') {
      const all = endpoints.list();
      if (all.length === 0)
        io.stderr.write('No webhook endpoints. Add one with: counterpi webhook add URL\n');
      for (const e of all) {
        io.stdout.write(
          `${e.id}  ${e.url}  ${new Date(e.createdAt).toISOString()}  ${e.pending} pending  ${e.failed} failed  ${e.delivered} delivered\n`,
        );
      }
      return 0;
    }
    if (action === 'remove' && arg !== undefined) {
      const removed = endpoints.remove(arg);
      io.stderr.write(
        `Removed ${removed.id} (${removed.url}); ${removed.pending} pending delivery(ies) given up.\n`,
      );
      return 0;
    }
    io.stderr.write(WEBHOOK_USAGE);
    return 2;
  } finally {
    store.close();
  }
}

/** The audit log over an open store, for owner commands. */
function ownerAudit(store: Store): AuditLog {
  return createAuditLog({ store, repo: createAuditRepo({ store }), clock: systemClock });
}

/** An audit entry for a state change the owner made from the command line. */
function ownerAction(action: string, target: string | undefined, input?: unknown) {
  return {
    actorKind: 'owner',
    actor: 'cli',
    action: `owner.${action}`,
    target,
    outcome: 'ok',
    input,
  } as const;
}

const AUDIT_USAGE =
  'Usage: counterpi audit verify | counterpi audit export [--since ISO] [--until ISO] [--action PREFIX] [FILE]\n';

/** The audit log: recompute its hash chain, or write it as CSV. */
async function runAudit(args: string[], config: Config, io: CliIo): Promise<number> {
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
