import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword } from './owner-password.js';

const CHEAP = { ln: 10, r: 8, p: 1 };
/** Made by scrypt alone (N=2^10, r=8, p=1, salt "counterpi-salt-1"), not by this module. */
const STORED = '$scrypt$ln=10,r=8,p=1$Y291bnRlcnBpLXNhbHQtMQ$xFK+G1YKZy0j0VhJHfj+NhJNh+mPMeVc8qg4q5r4qHI';

describe('owner password hashes', () => {
  it('records the cost it was made with, so it verifies whatever the default is', async () => {
    const hash = await hashPassword('correct horse battery', CHEAP);
    expect(hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(CHEAP).not.toEqual(DEFAULT_SCRYPT_COST);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery!', hash)).toBe(false);
  });

  it('verifies a stored string by the cost it names, and refuses one whose cost was changed', async () => {
    expect(await verifyPassword('correct horse battery', STORED)).toBe(true);
    expect(await verifyPassword('correct horse battery', STORED.replace('r=8', 'r=9'))).toBe(false);
    expect(await verifyPassword('correct horse battery', STORED.replace('ln=10', 'ln=9'))).toBe(false);
  });
});
