import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncPath } from '../../platform/sync-path.js';
import { type DriveRoots, isMountPoint } from './removable-drives.js';

/** A place off the card where backups are copied: a USB stick or an rclone remote. */
export interface OffCardTarget {
  readonly kind: 'usb' | 'remote';
  /** Where the copies go, for the owner (`/media/pi/STICK/counterpi-backups`, `offsite:counterpi`). */
  readonly label: string;
  where(name: string): string;
  /** Undefined when copies can be made now, else why not (a stick that is not mounted). */
  ready(): 'not_mounted' | undefined;
  put(local: string, name: string): Promise<void>;
  /** Reads a copy back into `local`, to check what really landed. */
  get(name: string, local: string): Promise<void>;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

/** The folder the copies go to on a stick, so the owner's own files stay apart. */
export const USB_FOLDER = 'counterpi-backups';

/**
 * Copies onto the file system mounted at `mountPoint`. Each copy is written under a temporary name,
 * flushed and renamed, so a stick pulled out mid-copy never holds a half file under a backup's name.
 * It refuses when nothing is mounted there: the empty folder left by an absent stick is on the SD card.
 */
export function usbTarget(mountPoint: string, roots: DriveRoots = {}): OffCardTarget {
  const dir = join(mountPoint, USB_FOLDER);
  return {
    kind: 'usb',
    label: dir,
    where: (name) => join(dir, name),
    ready: () => (isMountPoint(mountPoint, roots) ? undefined : 'not_mounted'),
    async put(local, name) {
      mkdirSync(dir, { recursive: true });
      const partial = join(dir, `${name}.partial`);
      try {
        copyFileSync(local, partial);
        syncPath(partial);
        renameSync(partial, join(dir, name));
        syncPath(dir);
      } finally {
        rmSync(partial, { force: true });
      }
    },
    async get(name, local) {
      copyFileSync(join(dir, name), local);
    },
    async list() {
      return readdirSync(dir);
    },
    async remove(name) {
      rmSync(join(dir, name), { force: true });
    },
  };
}
