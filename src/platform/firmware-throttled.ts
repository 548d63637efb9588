import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** The firmware's throttling flags as read: the text, and where it came from. */
export interface ThrottledReading {
  readonly source: 'sysfs' | 'vcgencmd';
  /** `50005` (sysfs, hex without a prefix), `0x50005`, or `throttled=0x50005` (vcgencmd). */
  readonly text: string;
}

/** How long vcgencmd may take before the reading is given up. */
const VCGENCMD_TIMEOUT_MS = 2000;

/**
 * Reads the Raspberry Pi firmware's throttling flags: the kernel's sysfs file (Raspberry Pi kernels,
 * `/sys/devices/platform/soc/soc:firmware/get_throttled`, readable by anyone), else `vcgencmd
 * get_throttled` (needs the video group for /dev/vcio). Undefined where neither exists: not a Pi.
 */
export async function readFirmwareThrottled(
  file: string,
  vcgencmd = 'vcgencmd',
): Promise<ThrottledReading | undefined> {
  try {
    return { source: 'sysfs', text: await readFile(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return new Promise((resolve, reject) => {
    execFile(vcgencmd, ['get_throttled'], { timeout: VCGENCMD_TIMEOUT_MS }, (error, stdout) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') resolve(undefined);
      else if (error !== null) reject(error);
      else resolve({ source: 'vcgencmd', text: stdout });
    });
  });
}
