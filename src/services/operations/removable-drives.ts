import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Where the kernel tells what is mounted and which disks are removable; tests point them at a temp tree. */
export interface DriveRoots {
  /** `/proc/mounts` by default. */
  readonly mountsFile?: string;
  /** `/sys/block` by default. */
  readonly sysBlockDir?: string;
}

/** A mounted file system, as `/proc/mounts` lists it. */
export interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly readOnly: boolean;
}

/** A mounted partition of a disk the kernel marks removable (a USB stick, an SD card reader). */
export interface RemovableDrive extends Mount {
  /** The disk under `/sys/block` (`sda` for `/dev/sda1`). */
  readonly disk: string;
}

/** `/proc/mounts` writes space, tab, newline and backslash in paths as octal escapes (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Every mounted file system; an unreadable mounts file lists none. */
export function readMounts(roots: DriveRoots = {}): Mount[] {
  let text: string;
  try {
    text = readFileSync(roots.mountsFile ?? '/proc/mounts', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4)
    .map(([device = '', mountPoint = '', fsType = '', options = '']) => ({
      device: unescapeMountField(device),
      mountPoint: unescapeMountField(mountPoint),
      fsType,
      readOnly: options.split(',').includes('ro'),
    }));
}

/** The disk a block device belongs to (`sda1` → `sda`, `mmcblk0p1` → `mmcblk0`), if `/sys/block` knows it. */
function diskOf(name: string, sysBlockDir: string): string | undefined {
  let disks: string[];
  try {
    disks = readdirSync(sysBlockDir);
  } catch {
    return undefined;
  }
  return disks.find((disk) => disk === name || existsSync(join(sysBlockDir, disk, name)));
}

function isRemovable(disk: string, sysBlockDir: string): boolean {
  try {
    return readFileSync(join(sysBlockDir, disk, 'removable'), 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/**
 * The mounted, writable partitions of removable disks, in the order the kernel mounted them. counterpi
 * never mounts or formats anything: a stick the desktop or the owner did not mount is not listed.
 */
export function listRemovableDrives(roots: DriveRoots = {}): RemovableDrive[] {
  const sysBlockDir = roots.sysBlockDir ?? '/sys/block';
  const drives: RemovableDrive[] = [];
  for (const mount of readMounts(roots)) {
    if (!mount.device.startsWith('/dev/') || mount.readOnly) continue;
    const disk = diskOf(basename(mount.device), sysBlockDir);
    if (disk !== undefined && isRemovable(disk, sysBlockDir)) drives.push({ ...mount, disk });
  }
  return drives;
}

/** Whether `dir` is itself a mount point: a stick that is not plugged in leaves an empty folder on the card. */
export function isMountPoint(dir: string, roots: DriveRoots = {}): boolean {
  const wanted = dir.replace(/\/+$/, '') || '/';
  return wanted !== '/' && readMounts(roots).some((mount) => mount.mountPoint === wanted);
}
