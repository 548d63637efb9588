import { describe, expect, it } from 'vitest';
import { bestCorrection, editDistance, typoBudget } from './typo-correction.js';

describe('typo correction', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('fries', 'fries', 2)).toBe(0);
    expect(editDistance('frise', 'fries', 2)).toBe(1);
    expect(editDistance('cheesburger', 'cheeseburger', 2)).toBe(1);
    expect(editDistance('burgr', 'burger', 2)).toBe(1);
    expect(editDistance('cola', 'coke', 2)).toBe(2);
    expect(editDistance('jalapeño', 'jalapeno', 2)).toBe(1);
  });

  it('stops counting past the budget', () => {
    expect(editDistance('lemonade', 'cola', 1)).toBe(2);
    expect(editDistance('abcdef', 'ghijkl', 2)).toBe(3);
  });

  it('allows no edit under 4 letters, one up to 7, two from 8', () => {
    expect([3, 4, 7, 8, 12].map(typoBudget)).toEqual([0, 1, 1, 2, 2]);
  });

  it('picks the fewest edits, then the most common word, then the first in order', () => {
    const candidates = [
      { word: 'fried', docs: 9 },
      { word: 'fries', docs: 3 },
      { word: 'frites', docs: 0 },
    ];
    expect(bestCorrection('frise', candidates)).toBe('fries');
    expect(
      bestCorrection('cake', [
        { word: 'coke', docs: 1 },
        { word: 'bake', docs: 1 },
      ]),
    ).toBe('bake');
    expect(
      bestCorrection('cake', [
        { word: 'coke', docs: 2 },
        { word: 'bake', docs: 1 },
      ]),
    ).toBe('coke');
    expect(bestCorrection('bcn', [{ word: 'bun', docs: 5 }])).toBeUndefined();
    expect(bestCorrection('frsie', [{ word: 'fries', docs: 5 }])).toBeUndefined();
    expect(bestCorrection('chesseburgr', [{ word: 'cheeseburger', docs: 2 }])).toBe('cheeseburger');
  });
});
