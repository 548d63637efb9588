import type { Child, FC } from 'hono/jsx';
import { ASSETS, CsrfField } from './admin-layout.js';

/** Problems of a posted form by field name; `FORM_ERROR` holds those that belong to no one field. */
export type FieldErrors = Readonly<Record<string, string>>;

/** The key of problems about the whole form. */
export const FORM_ERROR = '_form';

/** A rule's phrase as a sentence: "a price cannot be negative" → "A price cannot be negative." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** A field's problem under it, named by the field's aria-describedby. */
export const ErrorText: FC<{ id: string; error: string | undefined }> = ({ id, error }) =>
  error === undefined ? null : (
    <span class="error" id={`${id}-error`}>
      {error}
    </span>
  );

/** A labelled text input with its hint and its problem next to it; `id` is the name unless two forms share one. */
export const Field: FC<{
  label: string;
  name: string;
  id?: string;
  value: string;
  /** The form's problems; a form that lists them above itself (onboarding) gives none. */
  errors?: FieldErrors;
  type?: 'text' | 'number' | 'time' | 'date' | 'url' | 'datetime-local' | 'password' | 'tel';
  inputmode?: 'decimal' | 'numeric' | 'text';
  hint?: string;
  required?: boolean;
  size?: number;
  autocomplete?: string;
  autocapitalize?: 'characters';
  minlength?: number;
  maxlength?: number;
  placeholder?: string;
}> = (p) => {
  const error = p.errors?.[p.name];
  const id = p.id ?? p.name;
  return (
    <p class={error === undefined ? 'field' : 'field invalid'}>
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value}
        inputmode={p.inputmode}
        required={p.required}
        size={p.size}
        autocomplete={p.autocomplete}
        autocapitalize={p.autocapitalize}
        minlength={p.minlength}
        maxlength={p.maxlength}
        placeholder={p.placeholder}
        aria-invalid={error === undefined ? undefined : 'true'}
        aria-describedby={error === undefined ? undefined : `${id}-error`}
      />
      {p.hint === undefined ? null : <small class="hint">{p.hint}</small>}
      <ErrorText id={id} error={error} />
    </p>
  );
};

/** A value to copy (an address, a secret shown once): read-only, easy to select on a phone. */
export const CopyField: FC<{ label: string; id: string; value: string }> = ({ label, id, value }) => (
  <p class="field">
    <label for={id}>{label}</label>
    <span class="copyrow">
      <input id={id} class="copy" type="text" readonly value={value} autocomplete="off" spellcheck={false} />
      {/* Shown by enhance.js where the browser can copy; without JavaScript the text is there to select. */}
      <button type="button" class="secondary copy-button" data-copy={id} hidden>
        Copy
      </button>
    </span>
    <script src={ASSETS.enhance} defer />
  </p>
);

/** A labelled multi-line text input, with an optional hint under it. */
export const TextArea: FC<{
  label: string;
  name: string;
  value: string;
  errors: FieldErrors;
  hint?: string;
}> = (p) => {
  const error = p.errors[p.name];
  return (
    <p class={error === undefined ? 'field' : 'field invalid'}>
      <label for={p.name}>{p.label}</label>
      <textarea
        id={p.name}
        name={p.name}
        rows={3}
        aria-invalid={error === undefined ? undefined : 'true'}
        aria-describedby={error === undefined ? undefined : `${p.name}-error`}
      >
        {p.value}
      </textarea>
      {p.hint === undefined ? null : <small class="hint">{p.hint}</small>}
      <ErrorText id={p.name} error={error} />
    </p>
  );
};

/** A checkbox with its label after it. */
export const Check: FC<{
  label: string;
  name: string;
  checked: boolean;
  value?: string;
  errors?: FieldErrors;
}> = (p) => {
  const error = p.errors?.[p.name];
  return (
    <label class="check">
      <input type="checkbox" name={p.name} value={p.value ?? 'on'} checked={p.checked} /> {p.label}
      <ErrorText id={p.name} error={error} />
    </label>
  );
};

/** A labelled drop-down. */
export const Select: FC<{
  label: string;
  name: string;
  value: string;
  options: readonly { readonly value: string; readonly label: string }[];
  errors: FieldErrors;
}> = (p) => {
  const error = p.errors[p.name];
  return (
    <p class={error === undefined ? 'field' : 'field invalid'}>
      <label for={p.name}>{p.label}</label>
      <select id={p.name} name={p.name} aria-invalid={error === undefined ? undefined : 'true'}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={p.name} error={error} />
    </p>
  );
};

/** The problems that belong to no one field, above the form. */
export const FormProblems: FC<{ errors: FieldErrors; title?: string }> = ({ errors, title }) => {
  const count = Object.keys(errors).length;
  if (count === 0) return null;
  const general = errors[FORM_ERROR];
  return (
    <div class="flash error" role="alert">
      <p>
        {title ??
          (count === 1
            ? 'One thing needs fixing; nothing was saved.'
            : `${count} things need fixing; nothing was saved.`)}
      </p>
      {general === undefined ? null : <p>{general}</p>}
    </div>
  );
};

/** A form posting to `action` with the session's CSRF token. */
export const PostForm: FC<{
  action: string;
  csrf: string;
  children?: Child;
  multipart?: boolean;
  class?: string;
}> = (p) => (
  <form
    method="post"
    action={p.action}
    class={p.class}
    enctype={p.multipart === true ? 'multipart/form-data' : undefined}
  >
    <CsrfField token={p.csrf} />
    {p.children}
  </form>
);

/** A one-button form that also sends a few hidden fields (a sold-out toggle, a revoke). */
export const ActionButton: FC<{
  action: string;
  csrf: string;
  label: string;
  fields?: Readonly<Record<string, string>>;
  kind?: 'primary' | 'secondary' | 'danger';
}> = (p) => (
  <form method="post" action={p.action} class="inline">
    <CsrfField token={p.csrf} />
    {Object.entries(p.fields ?? {}).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <button type="submit" class={p.kind ?? 'secondary'}>
      {p.label}
    </button>
  </form>
);
