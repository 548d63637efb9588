import { parseArgs } from 'node:util';
import { loadOrCreateSigningKeys } from '../auth/key-files.js';
import {
  describeIssuedToken,
  formatOwnerTokens,
  issueOwnerToken,
  parseOwnerTokenRequest,
} from '../auth/owner-tokens.js';
import type { Config } from '../config/config.js';
import { isAppError } from '../domain/app-error.js';
import { shortTokenId } from '../domain/owner-token.js';
import { systemClock } from '../platform/clock.js';
import { timeOrderedIds } from '../platform/ids.js';
import type { Store } from '../store/database.js';
import { createOrdersRepo } from '../store/orders-repo.js';
import { createOwnerTokensRepo, type OwnerTokensRepo } from '../store/owner-tokens-repo.js';
import type { CliIo } from './cli-io.js';

import { describeFailure } from './cli-io.js';
import { openShop, ownerAction, ownerAudit } from './shop-access.js';

const TOKEN_USAGE =
  'Usage: counterpi token issue --name NAME [--scope "menu:read order:write"] [--days N]\n' +
  '       counterpi token list | counterpi token revoke ID\n';

export async function runToken(args: string[], config: Config, io: CliIo): Promise<number> {
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
        ids: timeOrderedIds,
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
