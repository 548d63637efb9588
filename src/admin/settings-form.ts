import type { z } from 'zod';
import type { ShopSettings } from '../domain/shop-settings.js';
import { type FieldErrors, FORM_ERROR } from './form-fields.js';

/** The sections the settings page edits with a form of their own. */
export type EditableSection = 'hours' | 'pickup' | 'delivery' | 'tax' | 'fees' | 'printer' | 'gpio' | 'email';

/** A section's form as text by field name; a ticked checkbox is 'on', an unticked one ''. */
export type FormValues = Readonly<Record<string, string>>;

/** How one section's form reads and writes its part of the settings. */
export interface SectionForm<K extends EditableSection> {
  readonly key: K;
  /** The form filled in from the settings. */
  values(settings: ShopSettings): FormValues;
  /**
   * The section built from the form. What cannot be read (a word where a number goes) is left in a
   * shape the schema refuses, so every problem is found by the one schema. `fieldOf` names the form
   * field a schema problem at `path` belongs to.
   */
  build(values: FormValues, settings: ShopSettings): BuiltSection<K>;
}

/** A section built from its form. */
export interface BuiltSection<K extends EditableSection> {
  readonly value: ShopSettings[K];
  readonly fieldOf?: (path: readonly PropertyKey[]) => string | undefined;
  /** Problems with rules the schema does not know (two GPIO parts on one pin), by field. */
  readonly errors?: FieldErrors;
}

/** The schema of each section (src/store/settings-schema.ts), as main.ts hands it over. */
export type SectionSchemas = { readonly [K in EditableSection]: z.ZodType<ShopSettings[K]> };

/**
 * Checks the built section with its schema (and the form's own rules); every problem is placed next to
 * its field, in words for the owner.
 */
export function sectionProblems<K extends EditableSection>(
  schema: z.ZodType<ShopSettings[K]>,
  values: FormValues,
  built: BuiltSection<K>,
): FieldErrors {
  const errors: Record<string, string> = { ...built.errors };
  const parsed = schema.safeParse(built.value);
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = built.fieldOf?.(issue.path) ?? knownPrefix(issue.path, values) ?? FORM_ERROR;
    errors[field] ??= issueText(issue);
  }
  return errors;
}

/** The longest start of `path` that is a field of the form: `tips.suggestedPercents.3` → `tips.suggestedPercents`. */
function knownPrefix(path: readonly PropertyKey[], values: FormValues): string | undefined {
  for (let length = path.length; length > 0; length -= 1) {
    const name = path.slice(0, length).map(String).join('.');
    if (name in values) return name;
  }
  return undefined;
}

/** A schema problem as the owner reads it. */
export function issueText(issue: z.core.$ZodIssue): string {
  const unit = (origin: string, n: number) =>
    origin === 'string'
      ? ` character${n === 1 ? '' : 's'}`
      : origin === 'array'
        ? ` value${n === 1 ? '' : 's'}`
        : '';
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int'
        ? 'Enter a whole number.'
        : issue.expected === 'number'
          ? 'Enter a number.'
          : 'Fill this in.';
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min === 1) return 'Fill this in.';
      return `At least ${min}${unit(issue.origin, min)}.`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      return `At most ${max}${unit(issue.origin, max)}.`;
    }
    case 'invalid_union':
    case 'invalid_value':
      return 'Choose one of the offered values.';
    default:
      // The schema's own words are phrases: "a time like 07:30".
      return /^(a|an) /.test(issue.message) ? `Write ${issue.message}.` : 'Check this value.';
  }
}
