import type Database from 'better-sqlite3';

/**
 * The database page size, in bytes. A commit writes every page it touched to the WAL in full, and a
 * paid order touches about seventy b-tree pages over its commits (a row and each of its indexes), so
 * the page size multiplies what each order costs the SD card. Measured with the bench's budget harness
 * (src/bench/pi-budgets.ts; 20 ACP orders one a second, the WAL checkpointed every 1,000 pages):
 * 4096-byte pages 440 KB written per paid order, 1024-byte pages 133 KB, same commits and rows. Later,
 * over a whole checkpoint cycle of 225–325 orders one every 200 ms: 1024-byte pages 99–101 KB, 512-byte
 * pages (SQLite's smallest) 74 KB, the WAL frames 79 KB and 51 KB of them. A row over a page then spills
 * more often (an audit row with a long summary, a checkout session), but a commit still writes far
 * fewer bytes. The cost is on reads through deeper b-trees; menu search, which paid most of it (p50 0.35
 * to 0.47 ms over 5,000 items at 1 KB), keeps its tables in memory at SQLite's default page size
 * instead (search-index.ts).
 */
export const PAGE_SIZE = 512;

/**
 * Gives the database PAGE_SIZE pages: a new file takes it at once; a file written by an older build
 * is rebuilt once with VACUUM, which needs the file to itself (no other connection) and room for a
 * copy. When it cannot (another process has it open, the disk is full) the database stays as it is,
 * correct and only costlier to write, and the next start tries again.
 */
export function adoptPageSize(db: Database.Database): void {
  if (db.pragma('page_size', { simple: true }) === PAGE_SIZE) return;
  if (db.pragma('page_count', { simple: true }) === 0) {
    db.pragma(`page_size = ${PAGE_SIZE}`);
    return;
  }
  // Never wait for another connection here: the rebuild is worth a start, not a delay.
  db.pragma('busy_timeout = 0');
  try {
    // WAL fixes the page size: leave WAL (possible only while no other connection uses the file).
    if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return;
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.exec('VACUUM');
  } catch (error) {
    // VACUUM is one transaction: when it fails the file is untouched. Damage is for the caller to say.
    if (!SKIPPABLE.test(String((error as { code?: unknown }).code))) throw error;
  }
}

/** No room for the copy, or another connection in the way: try again at the next start. */
const SKIPPABLE = /^SQLITE_(FULL|BUSY|LOCKED|IOERR)/;
