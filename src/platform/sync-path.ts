import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * Flushes a file, or a directory's entries, to the disk: a file written then renamed survives a power
 * cut only once both the file and its directory are flushed.
 */
export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
