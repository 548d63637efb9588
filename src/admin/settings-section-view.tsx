import type { Child, FC } from 'hono/jsx';
import type { ShopSettings } from '../domain/shop-settings.js';
import { Field, type FieldErrors, FormProblems, PostForm } from './form-fields.js';
import { type GuideTopic, guideLink } from './guide-link.js';
import type { EditableSection, FormValues } from './settings-form.js';
import { SECTION_FORMS } from './settings-sections.js';

/** A section being edited: what the owner sent and what is wrong with it. */
export interface SectionEdit {
  readonly section: EditableSection;
  readonly values: FormValues;
  readonly errors: FieldErrors;
}

/** What the settings page shows besides the settings. */
export interface SettingsPageState {
  readonly settings: ShopSettings;
  readonly edit: SectionEdit | undefined;
  /** Where tickets go, as the owner reads it. */
  readonly printer: string;
  /** The light, buzzer and buttons and their state, in the owner's words. */
  readonly gpio: string;
  readonly csrf: string;
}

/** One part of the settings: its own form, filled in from the settings or from what was sent. */
export const Section: FC<{
  id: EditableSection;
  title: string;
  /** The guide's section about this part. */
  help: GuideTopic;
  state: SettingsPageState;
  fields: (values: FormValues, errors: FieldErrors) => Child;
  after?: Child;
}> = ({ id, title, help, state, fields, after }) => {
  const editing = state.edit?.section === id ? state.edit : undefined;
  const values = editing?.values ?? SECTION_FORMS[id].values(state.settings);
  const errors = editing?.errors ?? {};
  return (
    <section class="card" id={id}>
      <h2>
        {title} {guideLink(help)}
      </h2>
      <FormProblems errors={errors} />
      <PostForm action={`/admin/settings/${id}`} csrf={state.csrf}>
        {fields(values, errors)}
        <p class="actions">
          <button type="submit" class="primary">
            Save {title.toLowerCase()}
          </button>
        </p>
      </PostForm>
      {after}
    </section>
  );
};

/** A field for a whole number. */
export const number = (
  label: string,
  name: string,
  values: FormValues,
  errors: FieldErrors,
  hint?: string,
) => (
  <Field
    label={label}
    name={name}
    value={values[name] ?? ''}
    errors={errors}
    inputmode="numeric"
    size={5}
    hint={hint}
  />
);
