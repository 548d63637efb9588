import type { FC } from 'hono/jsx';
import { ASSETS } from './admin-layout.js';
import { ErrorText, type FieldErrors } from './form-fields.js';

/**
 * The searchable time zone field: a text box with every zone as suggestions (`<input list>`), which
 * the page's script fills with the browser's own zone while empty; without JavaScript the owner types it.
 */
export const TimeZoneField: FC<{
  value: string;
  zones: readonly string[];
  errors?: FieldErrors;
  hint?: string;
}> = (p) => {
  const error = p.errors?.timezone;
  return (
    <p class={error === undefined ? 'field' : 'field invalid'}>
      <label for="timezone">Time zone</label>
      <input
        id="timezone"
        name="timezone"
        value={p.value}
        list="timezones"
        autocomplete="off"
        spellcheck={false}
        placeholder="Type a city: New York, London, Paris…"
        data-guess-timezone=""
        required
        aria-invalid={error === undefined ? undefined : 'true'}
      />
      <small>
        {p.hint ?? 'Type the nearest big city and pick it from the list; this browser’s zone is filled in.'}
      </small>
      <ErrorText id="timezone" error={error} />
      <datalist id="timezones">
        {p.zones.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
      <script src={ASSETS.enhance} defer />
    </p>
  );
};
