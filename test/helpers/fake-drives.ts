import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for `/proc/mounts` and `/sys/block` under `root`: the SD card (`mmcblk0`, not removable)
 * mounted at `/`, and a USB stick (`sda`, removable) whose first partition is mounted, while `plugged`,
 * at `root/media/STICK ONE` (a space, as `/proc/mounts` escapes it). The stick's folder exists either way,
 * as the folder of an unplugged stick stays on the card.
 */
export function fakeDrives(root: string) {
  const sysBlockDir = join(root, 'sys', 'block');
  const mountsFile = join(root, 'proc-mounts');
  const stick = join(root, 'media', 'STICK ONE');
  mkdirSync(join(sysBlockDir, 'mmcblk0', 'mmcblk0p2'), { recursive: true });
  writeFileSync(join(sysBlockDir, 'mmcblk0', 'removable'), '0\n');
  mkdirSync(join(sysBlockDir, 'sda', 'sda1'), { recursive: true });
  writeFileSync(join(sysBlockDir, 'sda', 'removable'), '1\n');
  mkdirSync(stick, { recursive: true });
  const plug = (plugged: boolean) =>
    writeFileSync(
      mountsFile,
      [
        '/dev/mmcblk0p2 / ext4 rw,noatime 0 0',
        'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
        'tmpfs /run tmpfs rw,nosuid,nodev 0 0',
        ...(plugged ? [`/dev/sda1 ${stick.replace(/ /g, '\\040')} vfat rw,nosuid,nodev,relatime 0 0`] : []),
        '',
      ].join('\n'),
    );
  plug(true);
  return { roots: { mountsFile, sysBlockDir }, stick, plug };
}
