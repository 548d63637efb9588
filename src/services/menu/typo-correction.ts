import type { VocabularyWord } from '../../store/search-index.js';

/** Most edits a typo of a word with `length` letters may need: none under 4 letters, 1 up to 7, 2 from 8. */
export function typoBudget(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form (insert, delete, substitute, swap two
 * neighbours), or `max + 1` as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[t.length] ?? max + 1, max + 1);
}

/** The candidate `word` was most likely meant to be: fewest edits within budget, then the most common word. */
export function bestCorrection(word: string, candidates: readonly VocabularyWord[]): string | undefined {
  const budget = typoBudget([...word].length);
  if (budget === 0) return undefined;
  let best: { word: string; distance: number; docs: number } | undefined;
  for (const candidate of candidates) {
    if (candidate.word === word) continue;
    const distance = editDistance(word, candidate.word, budget);
    if (distance > budget) continue;
    const better =
      best === undefined ||
      distance < best.distance ||
      (distance === best.distance && candidate.docs > best.docs) ||
      (distance === best.distance && candidate.docs === best.docs && candidate.word < best.word);
    if (better) best = { word: candidate.word, distance, docs: candidate.docs };
  }
  return best?.word;
}
