import type Database from 'better-sqlite3';
import { indexWords } from './search-text.js';

/** Synonym groups every shop starts with: each phrase of a group also finds the others. */
export function defaultSynonymGroups(): string[][] {
  return [
    ['fries', 'chips', 'french fries', 'frites'],
    ['soda', 'pop', 'soft drink', 'fizzy drink', 'soda pop'],
    ['cola', 'coke', 'coca cola'],
    ['burger', 'hamburger'],
    ['veggie', 'vegetarian', 'meatless', 'meat free'],
    ['shake', 'milkshake', 'milk shake', 'thickshake'],
    ['sandwich', 'sub', 'hoagie', 'sarnie'],
    // "sweets", not "sweet": "dessert" must not find Sweet Potato Fries.
    ['dessert', 'sweets', 'pudding', 'afters'],
    ['sparkling water', 'soda water', 'fizzy water', 'seltzer', 'club soda'],
    ['dairy free', 'milk free', 'lactose free', 'non dairy'],
    ['gluten free', 'coeliac', 'celiac'],
    ['shellfish free', 'crustacean free'],
    ['ketchup', 'catsup'],
    ['mayo', 'mayonnaise'],
    ['bbq', 'barbecue', 'barbeque'],
    ['chicken tenders', 'chicken strips', 'chicken fingers', 'chicken goujons'],
    ['pancake', 'hotcake', 'flapjack'],
    ['coleslaw', 'slaw'],
    ['hash browns', 'hashbrowns'],
    ['iced tea', 'ice tea'],
    ['lettuce wrap', 'bunless', 'low carb'],
    ['coffee', 'java', 'drip coffee'],
  ];
}

/** Groups as phrases of normalized words; phrases that normalize to nothing and groups of one are dropped. */
function normalizeSynonymGroups(groups: readonly (readonly string[])[]): string[][] {
  const out: string[][] = [];
  for (const group of groups) {
    const phrases = [...new Set(group.map((phrase) => indexWords(phrase).join(' ')))].filter((p) => p !== '');
    if (phrases.length >= 2) out.push(phrases);
  }
  return out;
}

/** The query whose rows `groupSynonymRows` reads: [group id, phrase], in group order. */
export const SYNONYM_ROWS = 'SELECT group_id, phrase FROM search_synonyms ORDER BY group_id, phrase';

/** Synonym rows gathered into groups, each a list of phrases (words joined by one space). */
export function groupSynonymRows(rows: readonly (readonly [number, string])[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const [groupId, phrase] of rows) {
    const phrases = groups.get(groupId) ?? [];
    phrases.push(phrase);
    groups.set(groupId, phrases);
  }
  return [...groups.values()];
}

/** Replaces every synonym group; call inside a transaction. */
export function writeSynonymGroups(db: Database.Database, groups: readonly (readonly string[])[]): void {
  db.prepare('DELETE FROM search_synonyms').run();
  const insert = db.prepare('INSERT OR IGNORE INTO search_synonyms (group_id, phrase) VALUES (?, ?)');
  normalizeSynonymGroups(groups).forEach((phrases, groupId) => {
    for (const phrase of phrases) insert.run(groupId, phrase);
  });
}
