import type Database from 'better-sqlite3';

/** Rebuilds the full-text tables from the menu tables; call inside the transaction that changed the menu. */
export function rebuildSearchIndex(db: Database.Database): void {
  db.prepare('DELETE FROM menu_fts').run();
  db.prepare(
    `INSERT INTO menu_fts (rowid, name, description, tags, category)
     SELECT i.rowid, i.name, i.description,
       (SELECT group_concat(value, ' ') FROM json_each(i.dietary)),
       c.name
     FROM items i JOIN categories c ON c.id = i.category_id`,
  ).run();
  db.prepare('DELETE FROM search_terms').run();
  db.prepare(
    `INSERT INTO search_terms (term)
     SELECT term FROM menu_fts_vocab WHERE length(term) >= 3`,
  ).run();
}
