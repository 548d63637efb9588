import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { readableCode } from '../../platform/ids.js';
import type { KitchenDeviceRow, KitchenDevicesRepo } from '../../store/kitchen-devices-repo.js';

/** A paired tablet as the owner sees it listed. */
export type KitchenDevice = KitchenDeviceRow;

/** A pairing code works this long after the owner made it. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** A code read off a phone and typed on a tablet: 8 readable characters, 23^8 ≈ 36 bits, single-use. */
const CODE_LENGTH = 8;
/** 256 random bits, base64url: the device's cookie. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** The stored "last seen" moves at most once a minute: no SD-card write on every poll. */
const SEEN_STEP_MS = 60_000;

/** The kitchen tablets: pairing codes, the device sessions they turn into, and their revocation. */
export interface KitchenDevices {
  /** A new single-use code, shown once to the owner as `ABCD-EFGH`. */
  newCode(): { readonly code: string; readonly expiresAt: Date };
  /** Turns a live code into a device session; `invalid_input` for an unknown, used or expired code. */
  pair(code: string, name: string): string;
  /** A device session for the owner's own browser (they are logged in already: no code needed). */
  pairOwnerBrowser(name: string): string;
  /** The live device a token names, or undefined (unknown, malformed or revoked). */
  resolve(token: string | undefined): KitchenDeviceRow | undefined;
  revoke(id: number): boolean;
  list(): KitchenDeviceRow[];
}

const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

/** The code as typed: case, spaces and dashes do not matter. */
function normalCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function cleanName(name: string): string {
  const plain = name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} '.-]/gu, '')
    .trim();
  return plain.slice(0, 40) || 'Kitchen tablet';
}

export function createKitchenDevices(deps: {
  readonly repo: KitchenDevicesRepo;
  readonly clock: Clock;
}): KitchenDevices {
  const { repo, clock } = deps;
  const now = () => clock.now().getTime();
  const issue = (name: string) => {
    const token = randomBytes(32).toString('base64url');
    repo.addDevice(cleanName(name), hashOf(token), now());
    return token;
  };
  return {
    newCode() {
      const code = readableCode(CODE_LENGTH);
      const at = now();
      repo.addCode(hashOf(code), at, at + PAIRING_CODE_TTL_MS);
      return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt: new Date(at + PAIRING_CODE_TTL_MS) };
    },
    pair(code, name) {
      const typed = normalCode(code);
      const token = randomBytes(32).toString('base64url');
      const device = { name: cleanName(name), tokenHash: hashOf(token) };
      if (typed.length !== CODE_LENGTH || !repo.redeem(hashOf(typed), device, now()))
        throw new AppError(
          'invalid_input',
          'That code does not work: it is wrong, used already or more than 10 minutes old. Ask for a new one on the Stations page.',
        );
      return token;
    },
    pairOwnerBrowser: issue,
    resolve(token) {
      if (token === undefined || !TOKEN.test(token)) return undefined;
      const device = repo.device(hashOf(token));
      if (device !== undefined && now() - device.lastSeenAt >= SEEN_STEP_MS) repo.seen(device.id, now());
      return device;
    },
    revoke: (id) => repo.revoke(id, now()),
    list: () => repo.list(),
  };
}
