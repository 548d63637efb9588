/**
 * The fuzzer's dice and its hostile values. Everything is drawn from one seeded generator, so a failing
 * run is repeated exactly by its seed (the test prints it).
 */

/** mulberry32: small, fast, and the same sequence on every machine for one seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    chance: (p: number) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}
export type Dice = ReturnType<typeof seededRandom>;

/** Stands for a value too deep to build as an object: spliced into the JSON text as it is sent. */
const DEEP = '\u0000deep\u0000';

/** Values a careless handler trips on: wrong types, extremes, control and bidi characters, injections. */
const HOSTILE: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  ' ',
  'x'.repeat(70_000),
  '\u0000\u0007\u001b[2J\u009b\u202e\u200b',
  '🍔'.repeat(500),
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '%00%0d%0a',
  '\ud800',
  [],
  {},
  Array.from({ length: 5000 }, (_, i) => i),
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  DEEP,
];

/** A hostile value; 10,000-deep nesting among them. */
export function hostileValue(dice: Dice): unknown {
  return dice.pick(HOSTILE);
}

/**
 * A copy of `value` with one node replaced by a hostile value, one key removed, or one unknown key
 * added, at a random depth.
 */
export function mutate(dice: Dice, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || dice.chance(0.25)) return hostileValue(dice);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = dice.next();
  // Own properties, even "__proto__": the copy is only ever sent as JSON text.
  const set = (key: string, item: unknown) =>
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  if (keys.length === 0 || roll < 0.1) {
    set(dice.pick(['extra', 'id', 'params', '__proto__', '']), hostileValue(dice));
  } else if (roll < 0.2 && !Array.isArray(copy)) {
    delete copy[dice.pick(keys)];
  } else {
    const key = dice.pick(keys);
    set(key, mutate(dice, (copy as Record<string, unknown>)[key]));
  }
  return copy;
}

/** JSON text of `value`, with the deep marker replaced by 10,000 levels of arrays or objects. */
export function jsonText(dice: Dice, value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  const marker = JSON.stringify(DEEP);
  if (!text.includes(marker)) return text;
  const deep = dice.chance(0.5)
    ? `${'['.repeat(10_000)}${']'.repeat(10_000)}`
    : `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
  return text.split(marker).join(deep);
}

/** Damage done to the text itself: cut short, a stray byte, a BOM, trailing junk, or nothing at all. */
export function damageText(dice: Dice, text: string): string {
  switch (dice.int(7)) {
    case 0:
      return text.slice(0, dice.int(text.length + 1));
    case 1: {
      const at = dice.int(text.length + 1);
      return text.slice(0, at) + dice.pick(['"', '{', ']', ',', '\u0000', '\\', 'ÿ']) + text.slice(at);
    }
    case 2:
      return `\ufeff${text}`;
    case 3:
      return `${text} trailing`;
    case 4:
      return '';
    case 5:
      return dice.pick(['1e999999', '-', 'nul', '{"a":1,"a":2}', '[', '"\\ud800"', '{}'.repeat(50_000)]);
    default:
      return text;
  }
}
