import { copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type DriveRoots, isMountPoint } from './removable-drives.js';

/** A place off the card where backups are copied: a USB stick or an rclone remote. */
export interface OffCardTarget {
  readonly kind: 'usb' | 'remote';
  /** Where the copies go, for the owner (`/media/pi/STICK/counterpi-backups`, `offsite:counterpi`). */
  readonly label: string;
  where(name: string): string;
  /** Undefined when copies can be made now, else why not (a stick that is not mounted). */
  ready(): 'not_mounted' | undefined;
  put(local: string, name: string, signal: AbortSignal): Promise<void>;
  /**
   * The copy as a file this machine can open where it lies (a stick), or fetched back into `local` (a
   * remote), to check what really landed.
   */
  fetch(name: string, local: string, signal: AbortSignal): Promise<string>;
  list(signal: AbortSignal): Promise<string[]>;
  remove(name: string, signal: AbortSignal): Promise<void>;
}

/** The folder the copies go to on a stick, so the owner's own files stay apart. */
export const USB_FOLDER = 'counterpi-backups';

/** Flushes a file or a directory's entries to the stick, without holding the event loop. */
async function flush(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Copies onto the file system mounted at `mountPoint`. Each copy is written under a temporary name,
 * flushed and renamed, so a stick pulled out mid-copy never holds a half file under a backup's name.
 * It refuses when nothing is mounted there: the empty folder left by an absent stick is on the SD card.
 * All of it is asynchronous: a slow stick must not hold up the orders being taken meanwhile.
 */
export function usbTarget(mountPoint: string, roots: DriveRoots = {}): OffCardTarget {
  const dir = join(mountPoint, USB_FOLDER);
  return {
    kind: 'usb',
    label: dir,
    where: (name) => join(dir, name),
    ready: () => (isMountPoint(mountPoint, roots) ? undefined : 'not_mounted'),
    async put(local, name) {
      await mkdir(dir, { recursive: true });
      const partial = join(dir, `${name}.partial`);
      try {
        await copyFile(local, partial);
        await flush(partial);
        await rename(partial, join(dir, name));
        await flush(dir);
      } finally {
        await rm(partial, { force: true });
      }
    },
    // Opened where it lies (read-only), after the flush above: what a restore would read from the stick.
    fetch: async (name) => join(dir, name),
    list: () => readdir(dir),
    remove: (name) => rm(join(dir, name), { force: true }),
  };
}
