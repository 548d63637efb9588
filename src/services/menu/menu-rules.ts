import type { Violation } from '../../domain/app-error.js';
import type { Category, Daypart, MenuItem, ModifierGroup, ModifierOption } from '../../domain/catalog.js';
import { importViolation, type MenuDraft, type MenuEntryKind, type MenuEntryRef } from './menu-draft.js';
import {
  descriptionProblem,
  firstDuplicate,
  idProblem,
  imageUrlProblem,
  maxQuantityProblem,
  nameProblem,
  priceProblem,
  timeProblem,
} from './menu-field-rules.js';

/** What the rules need to know about the shop. */
export interface MenuRuleOptions {
  /** Ids of the shop's tax rates; a category may only name one of these. */
  readonly taxRateIds: readonly string[];
}

const NOUN: Record<MenuEntryKind, string> = {
  daypart: 'daypart',
  category: 'category',
  group: 'modifier group',
  option: 'option',
  item: 'item',
};

type Referenced = 'daypart' | 'category' | 'group';

interface RuleContext {
  readonly draft: MenuDraft;
  readonly taxRateIds: readonly string[];
  /** Ids that exist, per kind, including entries that could not be read. */
  readonly known: Record<Referenced, ReadonlySet<string>>;
  /** First entry seen with each `kind:id`; options share one namespace across all groups. */
  readonly firstById: Map<string, MenuEntryRef>;
  /** Reports `problem` at `field` of `ref`, unless undefined or reading that field already failed. */
  report(ref: MenuEntryRef, field: string, problem: string | undefined): void;
}

/** Every rule a menu must follow before it replaces the current one; returns all problems found. */
export function checkMenuRules(draft: MenuDraft, options: MenuRuleOptions): Violation[] {
  const violations: Violation[] = [];
  const { menu } = draft;
  const knownIds = (kind: Referenced, ids: readonly { id: string }[]): ReadonlySet<string> => {
    const set = new Set(ids.map((entry) => entry.id));
    for (const key of draft.unreadIds) if (key.startsWith(`${kind}:`)) set.add(key.slice(kind.length + 1));
    return set;
  };
  const context: RuleContext = {
    draft,
    taxRateIds: options.taxRateIds,
    known: {
      daypart: knownIds('daypart', menu.dayparts),
      category: knownIds('category', menu.categories),
      group: knownIds('group', menu.modifierGroups),
    },
    firstById: new Map(),
    report(ref, field, problem) {
      if (problem === undefined || draft.isBroken(ref, field)) return;
      violations.push(importViolation(draft.locate(ref, field), problem));
    },
  };
  menu.dayparts.forEach((daypart, index) => {
    checkDaypart(context, daypart, { kind: 'daypart', index });
  });
  menu.categories.forEach((category, index) => {
    checkCategory(context, category, { kind: 'category', index });
  });
  menu.modifierGroups.forEach((group, index) => {
    checkGroup(context, group, index);
  });
  menu.items.forEach((item, index) => {
    checkItem(context, item, { kind: 'item', index });
  });
  return violations;
}

function checkEntry(context: RuleContext, ref: MenuEntryRef, entry: { id: string; name: string }): void {
  const noun = NOUN[ref.kind];
  context.report(ref, 'id', idProblem(entry.id, noun));
  context.report(ref, 'name', nameProblem(entry.name, noun));
  if (entry.id === '') return;
  const key = `${ref.kind}:${entry.id}`;
  const first = context.firstById.get(key);
  if (first === undefined) {
    context.firstById.set(key, ref);
    return;
  }
  const where = context.draft.locate(first, 'id');
  context.report(ref, 'id', `another ${noun} already has the id '${entry.id}' (${where})`);
}

function checkReference(
  context: RuleContext,
  ref: MenuEntryRef,
  field: string,
  kind: Referenced,
  id: string | undefined,
): void {
  if (id === undefined || context.known[kind].has(id)) return;
  const known = [...context.known[kind]];
  const hint =
    known.length === 0
      ? `the file has no ${NOUN[kind]} entries`
      : known.length <= 12
        ? `the ${NOUN[kind]} ids are: ${known.join(', ')}`
        : `check the spelling`;
  context.report(ref, field, `there is no ${NOUN[kind]} with the id '${id}' — ${hint}`);
}

function checkDaypart(context: RuleContext, daypart: Daypart, ref: MenuEntryRef): void {
  checkEntry(context, ref, daypart);
  if (daypart.days.length === 0) context.report(ref, 'days', 'a daypart needs at least one day');
  const day = firstDuplicate(daypart.days);
  if (day !== undefined) context.report(ref, 'days', `'${day}' is listed twice`);
  const startProblem = timeProblem(daypart.start, false);
  const endProblem = timeProblem(daypart.end, true);
  context.report(ref, 'start', startProblem);
  context.report(ref, 'end', endProblem);
  const broken = context.draft.isBroken(ref, 'start') || context.draft.isBroken(ref, 'end');
  if (!broken && startProblem === undefined && endProblem === undefined && daypart.start >= daypart.end) {
    context.report(ref, 'end', `the end (${daypart.end}) must be after the start (${daypart.start})`);
  }
}

function checkCategory(context: RuleContext, category: Category, ref: MenuEntryRef): void {
  checkEntry(context, ref, category);
  context.report(ref, 'description', descriptionProblem(category.description));
  checkReference(context, ref, 'daypartId', 'daypart', category.daypartId);
  const rate = category.taxRateId;
  if (rate !== undefined && !context.taxRateIds.includes(rate)) {
    const rates = context.taxRateIds.join(', ');
    context.report(
      ref,
      'taxRateId',
      `there is no tax rate with the id '${rate}' — the shop's tax rates are: ${rates}`,
    );
  }
}

function checkGroup(context: RuleContext, group: ModifierGroup, index: number): void {
  const ref: MenuEntryRef = { kind: 'group', index };
  checkEntry(context, ref, group);
  group.options.forEach((option, optionIndex) => {
    checkOption(context, option, { kind: 'option', group: index, index: optionIndex });
  });
  const { min, max, options } = group;
  if (context.draft.isBroken(ref, 'min') || context.draft.isBroken(ref, 'max')) return;
  const defaults = options.filter((option) => option.isDefault).length;
  const problems: [string, string | undefined][] = [
    ['min', min < 0 ? `min cannot be negative (it is ${min})` : undefined],
    ['max', max < 1 ? `max must be at least 1 (it is ${max})` : undefined],
    ['min', min > max ? `min (${min}) is more than max (${max})` : undefined],
    ['options', options.length === 0 ? `the group has no options — add options to '${group.id}'` : undefined],
    [
      'max',
      options.length > 0 && max > options.length
        ? `max is ${max} but the group has only ${options.length} option${options.length === 1 ? '' : 's'}`
        : undefined,
    ],
    [
      'max',
      group.selection === 'single' && max > 1
        ? `a single-choice group lets a customer pick one option — set max to 1, or selection to multiple`
        : undefined,
    ],
    [
      'max',
      defaults > max ? `${defaults} options are marked default but at most ${max} can be picked` : undefined,
    ],
  ];
  for (const [field, problem] of problems) context.report(ref, field, problem);
}

function checkOption(context: RuleContext, option: ModifierOption, ref: MenuEntryRef): void {
  checkEntry(context, ref, option);
  context.report(ref, 'price', priceProblem(option.price));
}

function checkItem(context: RuleContext, item: MenuItem, ref: MenuEntryRef): void {
  checkEntry(context, ref, item);
  context.report(ref, 'description', descriptionProblem(item.description));
  context.report(ref, 'price', priceProblem(item.price));
  context.report(ref, 'maxQuantity', maxQuantityProblem(item.maxQuantity));
  if (item.imageUrl !== undefined) context.report(ref, 'imageUrl', imageUrlProblem(item.imageUrl));
  if (item.categoryId === '') {
    context.report(ref, 'categoryId', 'every item needs a category — put the id of its category here');
  } else {
    checkReference(context, ref, 'categoryId', 'category', item.categoryId);
  }
  checkReference(context, ref, 'daypartId', 'daypart', item.daypartId);
  for (const groupId of item.modifierGroupIds)
    checkReference(context, ref, 'modifierGroupIds', 'group', groupId);
  const lists: [string, readonly string[]][] = [
    ['modifierGroupIds', item.modifierGroupIds],
    ['dietary', item.dietary],
    ['allergens', item.allergens],
  ];
  for (const [field, values] of lists) {
    const twice = firstDuplicate(values);
    if (twice !== undefined) context.report(ref, field, `'${twice}' is listed twice`);
  }
}
