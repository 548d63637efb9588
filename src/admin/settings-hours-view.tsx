import type { FC } from 'hono/jsx';
import { WEEKDAYS, type Weekday } from '../domain/catalog.js';
import { Check, Field, type FieldErrors } from './form-fields.js';
import { timeZoneNames } from './onboarding-choices.js';
import type { FormValues } from './settings-form.js';
import { exceptionRows, MAX_RANGES } from './settings-hours-form.js';
import { TimeZoneField } from './time-zone-field.js';

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** Rows shown for a day: the filled ones and one empty, at least two (lunch and dinner), at most six. */
function rowsFor(values: FormValues, day: Weekday): number {
  let last = -1;
  for (let i = 0; i < MAX_RANGES; i += 1) {
    if ((values[`weekly.${day}.${i}.open`] ?? '') !== '' || (values[`weekly.${day}.${i}.close`] ?? '') !== '')
      last = i;
  }
  return Math.min(MAX_RANGES, Math.max(2, last + 2));
}

const DayHours: FC<{ day: Weekday; values: FormValues; errors: FieldErrors }> = ({ day, values, errors }) => (
  <fieldset class="week-day">
    <legend>{DAY_NAMES[day]}</legend>
    {Array.from({ length: rowsFor(values, day) }, (_, i) => (
      <div class="range">
        <Field
          label={i === 0 ? 'Opens' : 'and'}
          name={`weekly.${day}.${i}.open`}
          value={values[`weekly.${day}.${i}.open`] ?? ''}
          errors={errors}
          size={5}
        />
        <Field
          label="closes"
          name={`weekly.${day}.${i}.close`}
          value={values[`weekly.${day}.${i}.close`] ?? ''}
          errors={errors}
          size={5}
        />
      </div>
    ))}
  </fieldset>
);

/** The hours form's fields: time zone, the week, and the exceptions with one empty row to add one. */
export const HoursFields: FC<{ values: FormValues; errors: FieldErrors }> = ({ values, errors }) => {
  const rows = exceptionRows(values);
  return (
    <>
      <TimeZoneField
        value={values.timezone ?? ''}
        zones={timeZoneNames()}
        errors={errors}
        hint="Type the nearest big city, like Paris or New York, and pick it from the list."
      />
      <p class="hint">
        Times like 09:00 or 17:30; 24:00 is midnight at the end of the day. Leave both times empty where the
        shop is closed. A closing time before the opening runs past midnight.
      </p>
      {WEEKDAYS.map((day) => (
        <DayHours day={day} values={values} errors={errors} />
      ))}
      <h3>Exceptions</h3>
      <p class="hint">
        A date whose hours replace the week's: leave the hours empty for a closed day, or write them like
        11:00-14:00, 17:00-21:00.
      </p>
      {Array.from({ length: rows + 1 }, (_, i) => (
        <fieldset class="exception">
          <legend>{i < rows ? (values[`exceptions.${i}.date`] ?? '') : 'Add an exception'}</legend>
          <Field
            label="Date"
            name={`exceptions.${i}.date`}
            value={values[`exceptions.${i}.date`] ?? ''}
            errors={errors}
            type="date"
          />
          <Field
            label="Hours (empty: closed)"
            name={`exceptions.${i}.ranges`}
            value={values[`exceptions.${i}.ranges`] ?? ''}
            errors={errors}
          />
          <Field
            label="Note"
            name={`exceptions.${i}.note`}
            value={values[`exceptions.${i}.note`] ?? ''}
            errors={errors}
          />
          {i < rows ? (
            <Check
              label="Remove"
              name={`exceptions.${i}.remove`}
              checked={values[`exceptions.${i}.remove`] === 'on'}
            />
          ) : null}
        </fieldset>
      ))}
    </>
  );
};
