import type { Store } from './database.js';

/** A paired kitchen tablet as the owner sees it listed. */
export interface KitchenDeviceRow {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly revokedAt: number | undefined;
}

/** Reads and writes `kitchen_devices` and `kitchen_pairing_codes`: hashes only, never a token or code. */
export interface KitchenDevicesRepo {
  addCode(codeHash: string, nowMs: number, expiresAt: number): void;
  /** In one transaction: marks a live, unused code used and adds the device; false (nothing written) when the code is unknown, used or expired. */
  redeem(codeHash: string, device: { name: string; tokenHash: string }, nowMs: number): boolean;
  addDevice(name: string, tokenHash: string, nowMs: number): number;
  /** The live (not revoked) device holding this token hash. */
  device(tokenHash: string): KitchenDeviceRow | undefined;
  seen(id: number, nowMs: number): void;
  revoke(id: number, nowMs: number): boolean;
  /** Every device, newest first. */
  list(): KitchenDeviceRow[];
}

interface Row {
  id: number;
  name: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
}

const toDevice = (r: Row): KitchenDeviceRow => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  revokedAt: r.revoked_at ?? undefined,
});

/** Creates the kitchen devices repository, its statements prepared once. */
export function createKitchenDevicesRepo({ store }: { store: Store }): KitchenDevicesRepo {
  const { db } = store;
  const q = {
    addCode: db.prepare(
      'INSERT INTO kitchen_pairing_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)',
    ),
    purgeCodes: db.prepare('DELETE FROM kitchen_pairing_codes WHERE expires_at < ?'),
    useCode: db.prepare(
      `UPDATE kitchen_pairing_codes SET used_at = @now
       WHERE code_hash = @hash AND used_at IS NULL AND expires_at > @now`,
    ),
    addDevice: db.prepare(
      'INSERT INTO kitchen_devices (name, token_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?)',
    ),
    device: db.prepare(
      'SELECT id, name, created_at, last_seen_at, revoked_at FROM kitchen_devices WHERE token_hash = ? AND revoked_at IS NULL',
    ),
    seen: db.prepare('UPDATE kitchen_devices SET last_seen_at = ? WHERE id = ?'),
    revoke: db.prepare('UPDATE kitchen_devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    list: db.prepare(
      'SELECT id, name, created_at, last_seen_at, revoked_at FROM kitchen_devices ORDER BY id DESC LIMIT 50',
    ),
  };
  return {
    addCode(codeHash, nowMs, expiresAt) {
      store.transaction(() => {
        // A day's grace keeps a used code refusable as used, not unknown, while it could still be typed.
        q.purgeCodes.run(nowMs - 86_400_000);
        q.addCode.run(codeHash, nowMs, expiresAt);
      });
    },
    redeem: (codeHash, device, nowMs) =>
      store.transaction(() => {
        if (q.useCode.run({ hash: codeHash, now: nowMs }).changes !== 1) return false;
        q.addDevice.run(device.name, device.tokenHash, nowMs, nowMs);
        return true;
      }),
    addDevice: (name, tokenHash, nowMs) =>
      Number(q.addDevice.run(name, tokenHash, nowMs, nowMs).lastInsertRowid),
    device(tokenHash) {
      const row = q.device.get(tokenHash) as Row | undefined;
      return row === undefined ? undefined : toDevice(row);
    },
    seen: (id, nowMs) => {
      q.seen.run(nowMs, id);
    },
    revoke: (id, nowMs) => q.revoke.run(nowMs, id).changes === 1,
    list: () => (q.list.all() as Row[]).map(toDevice),
  };
}
