import { describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { openStore } from './database.js';
import { createOauthStorage } from './oauth-adapter.js';

function setup() {
  const store = openStore({ file: ':memory:' });
  const clock = createManualClock('2026-11-24T12:00:00Z');
  return { store, clock, storage: createOauthStorage({ store, clock, accessTokenTtlSeconds: 3600 }) };
}

describe('oauth storage', () => {
  it('finds a live row by id and uid, and not after it expires', async () => {
    const { clock, storage } = setup();
    const interactions = storage.adapterFor('Interaction');
    await interactions.upsert('i1', { uid: 'u1', jti: 'i1' }, 60);
    expect(await interactions.find('i1')).toMatchObject({ uid: 'u1' });
    expect(await interactions.findByUid('u1')).toMatchObject({ jti: 'i1' });
    expect(await storage.adapterFor('Session').find('i1')).toBeUndefined();
    clock.advance(61_000);
    expect(await interactions.find('i1')).toBeUndefined();
    expect(storage.purgeExpired()).toBe(1);
  });

  it('marks a consumed code and revokes everything of a grant', async () => {
    const { store, storage } = setup();
    const codes = storage.adapterFor('AuthorizationCode');
    const refresh = storage.adapterFor('RefreshToken');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await refresh.upsert('r1', { grantId: 'g1' }, 3600);
    await refresh.upsert('r2', { grantId: 'g2' }, 3600);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBeTruthy();
    await refresh.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await refresh.find('r2')).toBeDefined();
    await refresh.destroy('r2');
    expect(store.db.prepare('SELECT count(*) FROM oauth_store').pluck().get()).toBe(0);
  });

  it('remembers a revoked grant for as long as its access tokens live', async () => {
    const { clock, storage } = setup();
    expect(storage.isGrantRevoked('g1')).toBe(false);
    await storage.adapterFor('AccessToken').revokeByGrantId('g1');
    await storage.adapterFor('RefreshToken').revokeByGrantId('g1');
    expect(storage.isGrantRevoked('g1')).toBe(true);
    expect(storage.isGrantRevoked('g2')).toBe(false);
    clock.advance(3599_000);
    expect(storage.purgeExpired()).toBe(0);
    expect(storage.isGrantRevoked('g1')).toBe(true);
    clock.advance(1_000);
    expect(storage.purgeExpired()).toBe(1);
    await storage.adapterFor('AccessToken').revokeByGrantId('g3');
    expect(storage.isGrantRevoked('g1')).toBe(false);
  });
});
