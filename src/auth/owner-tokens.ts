import { AppError, type Violation } from '../domain/app-error.js';
import type { Customer } from '../domain/order.js';
import { type ListedOwnerToken, ownerTokenStatus, shortTokenId } from '../domain/owner-token.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import { mintAccessToken } from './access-token.js';
import type { SigningKeys } from './key-files.js';
import { MCP_SCOPES, mcpResource } from './mcp-resource.js';

const DAY_SECONDS = 24 * 60 * 60;

/** Lifetime of an owner-issued token unless `--days` says otherwise, and the most it may be. */
export const OWNER_TOKEN_DEFAULT_DAYS = 90;
export const OWNER_TOKEN_MAX_DAYS = 365;
/** The `client_id` claim of owner-issued tokens: no OAuth client asked for them. */
export const OWNER_TOKEN_CLIENT_ID = 'counterpi-owner';

/**
 * The longest a token our signing keys sign stays valid: owner tokens outlive the provider's access and
 * ID tokens (one hour); refresh tokens are opaque rows in the store, signed by no key.
 */
export const LONGEST_SIGNED_TOKEN_SECONDS = OWNER_TOKEN_MAX_DAYS * DAY_SECONDS;

const MAX_NAME_LENGTH = 80;

/** What `counterpi token issue` was asked for, checked. */
export interface OwnerTokenRequest {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly days: number;
}

/** Checks `token issue`'s options; throws `invalid_input` listing every problem. */
export function parseOwnerTokenRequest(input: {
  name?: string | undefined;
  scope?: string | undefined;
  days?: string | undefined;
}): OwnerTokenRequest {
  const violations: Violation[] = [];
  const bad = (path: string, message: string) => violations.push({ code: 'invalid_input', path, message });

  const name = (input.name ?? '').trim();
  if (name === '') bad('--name', 'say who the token is for, e.g. --name "MCP Inspector"');
  else if (name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name))
    bad('--name', `use up to ${MAX_NAME_LENGTH} characters, without control characters`);

  const scopes = (input.scope ?? MCP_SCOPES.join(' ')).split(/[\s,]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(MCP_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) bad('--scope', `unknown scope ${unknown.join(', ')}; use ${MCP_SCOPES.join(' ')}`);
  else if (!scopes.includes('menu:read'))
    bad('--scope', 'include menu:read: without it the token cannot even list the tools');

  const daysText = input.days ?? String(OWNER_TOKEN_DEFAULT_DAYS);
  const days = /^\d{1,4}$/.test(daysText) ? Number(daysText) : Number.NaN;
  if (!(days >= 1 && days <= OWNER_TOKEN_MAX_DAYS))
    bad('--days', `give a whole number of days from 1 to ${OWNER_TOKEN_MAX_DAYS} (got "${daysText}")`);

  if (violations.length > 0) {
    throw new AppError('invalid_input', 'The token was not issued:', { violations });
  }
  return { name, scopes: MCP_SCOPES.filter((s) => scopes.includes(s)), days };
}

/** Where issued tokens are recorded (store/owner-tokens-repo.ts). */
export interface OwnerTokenLedger {
  record(
    token: {
      jti: string;
      name: string;
      scopes: readonly string[];
      createdAt: number;
      expiresAt: number;
    },
    newCustomer: () => Customer,
  ): { readonly subject: string };
}

/** The ledger with the owner's list and revocation (store/owner-tokens-repo.ts: the instance /mcp checks). */
export interface OwnerTokenStore extends OwnerTokenLedger {
  list(): ListedOwnerToken[];
  revoke(jti: string, nowMs: number): boolean;
}

/** An issued token: `token` is shown to the owner once and never stored. */
export interface IssuedOwnerToken {
  readonly token: string;
  readonly jti: string;
  readonly subject: string;
  readonly expiresAt: Date;
}

/**
 * Records and signs a customer access token for the owner to paste into a client (MCP Inspector, a static
 * `Authorization` header). The same name, in any case, gets the same customer, so orders follow it.
 */
export async function issueOwnerToken(
  deps: {
    ledger: OwnerTokenLedger;
    signingKeys: SigningKeys;
    publicUrl: string;
    clock: Clock;
    ids: Ids;
  },
  request: OwnerTokenRequest,
): Promise<IssuedOwnerToken> {
  const { ledger, ids } = deps;
  // Whole seconds, so the recorded times are the token's iat and exp.
  const now = new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000);
  const ttlSeconds = request.days * DAY_SECONDS;
  const jti = ids.next('tok');
  const { subject } = ledger.record(
    {
      jti,
      name: request.name,
      scopes: request.scopes,
      createdAt: now.getTime(),
      expiresAt: now.getTime() + ttlSeconds * 1000,
    },
    () => ({ id: ids.next('cus'), subject: ids.next('sub'), name: request.name, phone: undefined }),
  );
  const token = await mintAccessToken({
    publicUrl: deps.publicUrl,
    signingKeys: deps.signingKeys,
    subject,
    scopes: request.scopes,
    clientId: OWNER_TOKEN_CLIENT_ID,
    now,
    ttlSeconds,
    jti,
  });
  return { token, jti, subject, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
}

/** Issuing, listing and revoking as the owner pages do it: their port onto this file's checks and signing. */
export function createOwnerTokens(deps: {
  ledger: OwnerTokenStore;
  signingKeys: SigningKeys;
  publicUrl: string;
  clock: Clock;
  ids: Ids;
}) {
  return {
    scopes: MCP_SCOPES,
    resource: mcpResource(deps.publicUrl),
    parse: parseOwnerTokenRequest,
    issue: (request: OwnerTokenRequest) => issueOwnerToken(deps, request),
    list: () => deps.ledger.list(),
    revoke: (jti: string, nowMs: number) => deps.ledger.revoke(jti, nowMs),
  };
}

/** What `token issue` tells the owner besides the token: what it is, how to send it, how to revoke it. */
export function describeIssuedToken(
  issued: IssuedOwnerToken,
  request: OwnerTokenRequest,
  publicUrl: string,
): string {
  const id = shortTokenId(issued.jti);
  return (
    `Issued token ${id} for "${request.name}" (customer ${issued.subject}), ${request.scopes.join(' ')}, ` +
    `until ${utcMinute(issued.expiresAt.getTime())} UTC.\n` +
    `Send it to ${mcpResource(publicUrl)} as the header "Authorization: Bearer <the token above>" ` +
    '(MCP Inspector: Authentication, Bearer Token). It is shown only this once.\n' +
    `Revoke it with: counterpi token revoke ${id}\n`
  );
}

/** `token list`'s table: one line per token, times in UTC. */
export function formatOwnerTokens(tokens: readonly ListedOwnerToken[], now: Date): string {
  const rows = [
    ['ID', 'NAME', 'SCOPES', 'CREATED (UTC)', 'EXPIRES (UTC)', 'STATUS'],
    ...tokens.map((t) => [
      shortTokenId(t.jti),
      t.name,
      t.scopes.join(' '),
      utcMinute(t.createdAt),
      utcMinute(t.expiresAt),
      ownerTokenStatus(t, now.getTime()),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
