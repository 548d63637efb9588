/** A customer access token the owner issued, as it is listed: never the token itself. */
export interface ListedOwnerToken {
  readonly jti: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | undefined;
}

/** Whether /mcp accepts the token now. */
export function ownerTokenStatus(token: ListedOwnerToken, nowMs: number): 'active' | 'expired' | 'revoked' {
  if (token.revokedAt !== undefined) return 'revoked';
  return token.expiresAt <= nowMs ? 'expired' : 'active';
}

/** The id the owner sees and revokes by: the jti's first characters (tok_ + 8). */
export function shortTokenId(jti: string): string {
  return jti.slice(0, 12);
}
