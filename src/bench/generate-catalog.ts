import {
  type Allergen,
  type Category,
  DEFAULT_MAX_QUANTITY,
  type DietaryTag,
  type Menu,
  type MenuItem,
  type ModifierGroup,
  WEEKDAYS,
} from '../domain/catalog.js';

type Kind = 'food' | 'drink' | 'sweet';

// [name, dish noun, kind, allergens every dish of it has]; breakfast categories sit in the breakfast daypart.
const CATEGORIES: readonly [string, string, Kind, Allergen[]][] = [
  ['Burgers', 'Burger', 'food', ['gluten', 'sesame']],
  ['Sandwiches', 'Sandwich', 'food', ['gluten']],
  ['Hot Dogs', 'Hot Dog', 'food', ['gluten', 'mustard']],
  ['Wraps', 'Wrap', 'food', ['gluten']],
  ['Salads', 'Salad', 'food', []],
  ['Bowls', 'Bowl', 'food', []],
  ['Pizzas', 'Pizza', 'food', ['gluten', 'milk']],
  ['Pasta', 'Pasta', 'food', ['gluten', 'eggs']],
  ['Tacos', 'Taco', 'food', []],
  ['Burritos', 'Burrito', 'food', ['gluten']],
  ['Quesadillas', 'Quesadilla', 'food', ['gluten', 'milk']],
  ['Nachos', 'Nachos', 'food', ['milk']],
  ['Sushi', 'Roll', 'food', ['fish', 'soy', 'sesame']],
  ['Noodles', 'Noodles', 'food', ['gluten', 'soy']],
  ['Curries', 'Curry', 'food', []],
  ['Soups', 'Soup', 'food', ['celery']],
  ['Breakfast', 'Breakfast Plate', 'food', ['eggs']],
  ['Pancakes', 'Pancakes', 'sweet', ['gluten', 'eggs', 'milk']],
  ['Waffles', 'Waffle', 'sweet', ['gluten', 'eggs', 'milk']],
  ['Bagels', 'Bagel', 'food', ['gluten', 'sesame']],
  ['Toasties', 'Toastie', 'food', ['gluten', 'milk']],
  ['Subs', 'Sub', 'food', ['gluten']],
  ['Kebabs', 'Kebab', 'food', ['gluten']],
  ['Grill Plates', 'Grill Plate', 'food', []],
  ['Ribs', 'Ribs', 'food', ['mustard']],
  ['Wings', 'Wings', 'food', ['celery']],
  ['Fries & Sides', 'Fries', 'food', []],
  ['Dips & Sauces', 'Dip', 'food', ['eggs', 'mustard']],
  ['Kids Meals', 'Kids Meal', 'food', ['gluten']],
  ['Smoothies', 'Smoothie', 'drink', []],
  ['Milkshakes', 'Milkshake', 'sweet', ['milk']],
  ['Soft Drinks', 'Soda', 'drink', []],
  ['Coffee', 'Latte', 'drink', ['milk']],
  ['Tea', 'Tea', 'drink', []],
  ['Juices', 'Juice', 'drink', []],
  ['Sundaes', 'Sundae', 'sweet', ['milk']],
  ['Ice Cream', 'Ice Cream', 'sweet', ['milk']],
  ['Cakes', 'Cake', 'sweet', ['gluten', 'eggs', 'milk']],
  ['Cookies', 'Cookie', 'sweet', ['gluten', 'eggs', 'milk']],
  ['Pastries', 'Pastry', 'sweet', ['gluten', 'milk']],
];
const BREAKFAST = new Set(['Breakfast', 'Pancakes', 'Waffles', 'Bagels']);

const STYLES =
  `Smoky Crispy Classic Spicy Loaded Double Grilled Golden Tangy Zesty Hearty Sticky Fiery Creamy Crunchy
  Rustic Deluxe Mini Giant House`.split(/\s+/);
const FLAVORS =
  `Chipotle|BBQ|Teriyaki|Garlic|Honey Mustard|Buffalo|Pesto|Lemon Pepper|Sriracha|Truffle|Jalapeño|Maple|
  Cajun|Korean|Thai Basil|Smoked Paprika|Habanero|Sweet Chili|Peri Peri|Café de Paris`.split(/\s*\|\s*/);
const SWEET_FLAVORS =
  `Vanilla|Chocolate|Strawberry|Banana|Mango|Coconut|Peanut Butter|Caramel|Espresso|Matcha|Raspberry|
  Blueberry|Cinnamon|Hazelnut|Lemon|Cookies & Cream|Salted Caramel|Pistachio|Cherry|Crème Brûlée`.split(
    /\s*\|\s*/,
  );
// [ingredient, dietary it allows, allergen it brings]
const MAINS: readonly [string, DietaryTag[], Allergen | undefined][] = [
  ['Chicken', [], undefined],
  ['Beef', [], undefined],
  ['Pulled Pork', [], undefined],
  ['Halloumi', ['vegetarian'], 'milk'],
  ['Tofu', ['vegan'], 'soy'],
  ['Mushroom', ['vegan'], undefined],
  ['Bacon', [], undefined],
  ['Salmon', [], 'fish'],
  ['Shrimp', [], 'crustaceans'],
  ['Falafel', ['vegan'], 'sesame'],
  ['Avocado', ['vegan'], undefined],
  ['Cheddar', ['vegetarian'], 'milk'],
  ['Lamb', ['halal'], undefined],
  ['Turkey', [], undefined],
  ['Black Bean', ['vegan'], undefined],
  ['Chorizo', [], undefined],
  ['Paneer', ['vegetarian'], 'milk'],
  ['Egg', ['vegetarian'], 'eggs'],
  ['Tuna', [], 'fish'],
  ['Jackfruit', ['vegan'], undefined],
];
const EXTRAS =
  `pickles|red onion|crisp lettuce|vine tomato|slaw|garlic aioli|sesame seeds|spring onion|coriander|lime|
  parmesan|rocket|toasted brioche|sourdough|jasmine rice|cucumber|kimchi|pickled chili|fried shallots|cashews|
  peanut crumble|house sauce|charred corn|feta|roasted peppers|caramelised onions|fresh mint|crushed nuts`.split(
    /\s*\|\s*/,
  );

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed gives the same catalog. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next(): number;
  pick<T>(list: readonly T[]): T;
}

/** A deterministic, realistic catalog of `count` items over 40 categories, for benchmarks and load tests. */
export function generateCatalog(count: number, seed: number): Menu {
  const next = random(seed);
  const rng: Rng = { next, pick: (list) => list[Math.floor(next() * list.length)] as (typeof list)[number] };
  const categories: Category[] = CATEGORIES.map(([name], index) => ({
    id: slug(name),
    name,
    description: `Our ${name.toLowerCase()}.`,
    sort: index,
    taxRateId: undefined,
    daypartId: BREAKFAST.has(name) ? 'breakfast' : undefined,
  }));
  const modifierGroups = generateGroups();
  const names = new Set<string>();
  const items: MenuItem[] = [];
  for (let index = 0; index < count; index += 1) {
    const spec = CATEGORIES[index % CATEGORIES.length];
    if (spec !== undefined) items.push(generateItem(index, spec, names, rng, modifierGroups));
  }
  return {
    dayparts: [{ id: 'breakfast', name: 'Breakfast', days: [...WEEKDAYS], start: '06:00', end: '11:00' }],
    categories,
    modifierGroups,
    items,
  };
}

function generateItem(
  index: number,
  [categoryName, dish, kind, baseAllergens]: (typeof CATEGORIES)[number],
  names: Set<string>,
  rng: Rng,
  groups: readonly ModifierGroup[],
): MenuItem {
  const [main, mainDiet, mainAllergen] =
    kind === 'food' ? rng.pick(MAINS) : ['', ['vegetarian'] as DietaryTag[], undefined];
  const flavors = kind === 'food' ? FLAVORS : SWEET_FLAVORS;
  const name = uniqueName(names, () => [rng.pick(STYLES), rng.pick(flavors), main, dish], index);
  const extras = [rng.pick(EXTRAS), rng.pick(EXTRAS), rng.pick(EXTRAS)];
  const allergens = allergensOf(baseAllergens, mainAllergen, extras);
  const dietary = new Set<DietaryTag>(mainDiet);
  if (/Chipotle|Buffalo|Sriracha|Habanero|Jalapeño|Peri Peri|Fiery|Spicy/.test(name)) dietary.add('spicy');
  if (!allergens.includes('gluten') && rng.next() < 0.5) dietary.add('gluten-free');
  return {
    id: `item-${String(index + 1).padStart(5, '0')}`,
    categoryId: slug(categoryName),
    name,
    description: `${main === '' ? rng.pick(flavors) : main} with ${extras[0]}, ${extras[1]} and ${extras[2]}.`,
    price: 250 + Math.floor(rng.next() * 90) * 25,
    imageUrl: undefined,
    dietary: [...dietary],
    allergens,
    soldOut: rng.next() < 0.02,
    sort: Math.floor(index / CATEGORIES.length),
    daypartId: undefined,
    modifierGroupIds: groups.filter((g) => g.id.startsWith(kind) && rng.next() < 0.4).map((g) => g.id),
    maxQuantity: DEFAULT_MAX_QUANTITY,
  };
}

/** A name not used yet: a few fresh draws, then a numbered one. */
function uniqueName(names: Set<string>, draw: () => string[], index: number): string {
  let name = '';
  for (let attempt = 0; attempt < 20 && (name === '' || names.has(name)); attempt += 1) {
    name = draw()
      .filter((part) => part !== '')
      .join(' ');
  }
  if (names.has(name)) name = `${name} No. ${index + 1}`;
  names.add(name);
  return name;
}

function allergensOf(
  base: readonly Allergen[],
  main: Allergen | undefined,
  extras: readonly string[],
): Allergen[] {
  const allergens = new Set<Allergen>(base);
  if (main !== undefined) allergens.add(main);
  if (extras.some((e) => /cashew|nuts/.test(e))) allergens.add('nuts');
  if (extras.some((e) => /peanut/.test(e))) allergens.add('peanuts');
  if (extras.some((e) => /parmesan|feta/.test(e))) allergens.add('milk');
  return [...allergens];
}

function generateGroups(): ModifierGroup[] {
  const specs: [string, string, string[]][] = [
    ['food-extras', 'Extras', ['Extra cheese', 'Bacon', 'Avocado', 'Fried egg', 'Jalapeños']],
    ['food-leave-off', 'Leave off', ['No onions', 'No pickles', 'No tomato', 'No sauce']],
    ['food-side', 'Side', ['Fries', 'Side salad', 'Sweet potato fries', 'Onion rings']],
    ['food-sauce', 'Sauce', ['Ketchup', 'Garlic mayo', 'BBQ sauce', 'Hot sauce', 'Ranch']],
    ['food-spice', 'Spice level', ['Mild', 'Medium', 'Hot', 'Extra hot']],
    ['food-bread', 'Bread', ['Brioche bun', 'Gluten-free bun', 'Lettuce wrap', 'Flatbread']],
    ['drink-size', 'Size', ['Small', 'Medium', 'Large']],
    ['drink-ice', 'Ice', ['Normal ice', 'Light ice', 'No ice']],
    ['drink-milk', 'Milk', ['Whole milk', 'Oat milk', 'Soy milk', 'Almond milk']],
    ['drink-shot', 'Extra shot', ['Espresso shot', 'Vanilla syrup', 'Caramel syrup']],
    ['sweet-toppings', 'Toppings', ['Whipped cream', 'Sprinkles', 'Cherry', 'Chocolate sauce', 'Nuts']],
    ['sweet-size', 'Size', ['Regular', 'Large']],
  ];
  return specs.map(([id, name, options], sort) => ({
    id,
    name,
    selection: 'multiple',
    min: 0,
    max: options.length,
    sort,
    options: options.map((optionName, index) => ({
      id: `${id}-${index}`,
      groupId: id,
      name: optionName,
      price: index * 50,
      isDefault: false,
      soldOut: false,
      sort: index,
    })),
  }));
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
