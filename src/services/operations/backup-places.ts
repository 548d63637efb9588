import type { BackupSettings } from '../../domain/shop-settings.js';
import type { BackupKeys } from './backup-encryption.js';
import { type OffCardTarget, usbTarget } from './off-card-target.js';
import {
  parseRemoteSection,
  rcloneTarget,
  readRemoteSection,
  removeRemoteSection,
  saveRemoteSection,
} from './rclone-remote.js';
import { type DriveRoots, listRemovableDrives, type RemovableDrive } from './removable-drives.js';

export interface BackupPlacesDeps {
  readonly dataDir: string;
  /** BACKUP_USB_DIR: a mount path the operator configured; it wins over the drive picked on the page. */
  readonly usbDir: string | undefined;
  readonly roots?: DriveRoots;
  readonly keys: BackupKeys;
  readonly settings: () => BackupSettings;
  readonly save: (settings: BackupSettings) => void;
}

/** What the Backups page shows about the places off the card. */
export interface BackupPlacesView {
  /** The mount path copies go to on a USB drive, and whether the operator configured it (then fixed). */
  readonly usb: { readonly path: string; readonly configured: boolean } | undefined;
  /** Removable drives mounted now, which the owner may pick. */
  readonly drives: readonly RemovableDrive[];
  /** The saved rclone remote's name and type (never its settings). */
  readonly remote: { readonly name: string; readonly type: string; readonly folder: string } | undefined;
  readonly encrypted: boolean;
}

/** The owner's choice of places off the card: a USB drive, an rclone remote, and encryption. */
export function createBackupPlaces(deps: BackupPlacesDeps) {
  const { dataDir, keys } = deps;
  const usbPath = () => deps.usbDir ?? deps.settings().usbMount ?? undefined;
  const update = (change: Partial<BackupSettings>) => deps.save({ ...deps.settings(), ...change });

  return {
    /** Where this run's copies go. */
    targets(): OffCardTarget[] {
      const path = usbPath();
      const remote = rcloneTarget(dataDir, deps.settings().remoteFolder);
      return [
        ...(path === undefined ? [] : [usbTarget(path, deps.roots)]),
        ...(remote === undefined ? [] : [remote]),
      ];
    },
    view(): BackupPlacesView {
      const path = usbPath();
      const section = readRemoteSection(dataDir);
      return {
        usb: path === undefined ? undefined : { path, configured: deps.usbDir !== undefined },
        drives: listRemovableDrives(deps.roots),
        remote:
          section === undefined
            ? undefined
            : { name: section.name, type: section.type, folder: deps.settings().remoteFolder },
        encrypted: keys.enabled(),
      };
    },
    /** Picks a removable drive by its mount point; only one listed now is taken (no path from a form reaches the disk). */
    pickDrive(mountPoint: string | null): boolean {
      if (mountPoint !== null && !listRemovableDrives(deps.roots).some((d) => d.mountPoint === mountPoint))
        return false;
      update({ usbMount: mountPoint });
      return true;
    },
    /** Saves a pasted rclone section and the folder; returns the problem with it, if any. */
    saveRemote(text: string, folder: string): string | undefined {
      const section = parseRemoteSection(text);
      if (!section.ok) return section.problem;
      try {
        update({ remoteFolder: folder });
      } catch {
        return 'the folder must be a name such as counterpi or shop/backups';
      }
      saveRemoteSection(dataDir, section);
      return undefined;
    },
    removeRemote(): void {
      removeRemoteSection(dataDir);
    },
    setPassphrase: (passphrase: string) => keys.setPassphrase(passphrase),
    disableEncryption: () => keys.disable(),
  };
}

/** The owner's places off the card. */
export type BackupPlaces = ReturnType<typeof createBackupPlaces>;
