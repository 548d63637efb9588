import type { Child, FC } from 'hono/jsx';
import { WEEKDAYS } from '../domain/catalog.js';
import { CsrfField } from './admin-layout.js';
import { Field } from './form-fields.js';
import { guideHref } from './guide-link.js';
import { type Choice, currencyChoices, localeChoices } from './onboarding-choices.js';
import { type OnboardingValues, WEEKDAY_NAMES } from './onboarding-form.js';
import { ONBOARDING_STEPS, type OnboardingStep, STEP_PATHS } from './onboarding-progress.js';
import { PASSWORD_MIN_LENGTH } from './owner-password.js';
import { TimeZoneField } from './time-zone-field.js';

/** The problems of a posted form, all at once. */
export const ErrorList: FC<{ errors: readonly string[] }> = ({ errors }) =>
  errors.length === 0 ? null : (
    <div class="errors" role="alert">
      <p>Please fix this and send the form again:</p>
      <ul>
        {errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );

const PasswordFields: FC = () => (
  <fieldset>
    <legend>Owner password</legend>
    <p class="hint">
      It protects these pages. At least {PASSWORD_MIN_LENGTH} characters; a few unrelated words are easy to
      remember and hard to guess.
    </p>
    <Field
      name="password"
      label="Password"
      value=""
      type="password"
      required
      autocomplete="new-password"
      minlength={PASSWORD_MIN_LENGTH}
    />
    <Field
      name="password_again"
      label="The same password again"
      value=""
      type="password"
      required
      autocomplete="new-password"
    />
  </fieldset>
);

const HoursFields: FC<{ values: OnboardingValues }> = ({ values }) => (
  <fieldset>
    <legend>Opening hours</legend>
    <p class="hint">
      When customers can order: one opening a day here; holidays and split shifts go on the Settings page.
    </p>
    {WEEKDAYS.map((day) => {
      const h = values.hours[day];
      return (
        <div class="day">
          <span class="dayname">{WEEKDAY_NAMES[day]}</span>
          <input
            name={`${day}_open`}
            value={h.open}
            aria-label={`${WEEKDAY_NAMES[day]} opens`}
            pattern="([01][0-9]|2[0-3]):[0-5][0-9]"
            placeholder="09:00"
            inputmode="numeric"
          />
          <span>to</span>
          <input
            name={`${day}_close`}
            value={h.close}
            aria-label={`${WEEKDAY_NAMES[day]} closes`}
            pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
            placeholder="17:00"
            inputmode="numeric"
          />
          <label class="check">
            <input type="checkbox" name={`${day}_closed`} checked={h.closed} /> closed
          </label>
        </div>
      );
    })}
  </fieldset>
);

const ChoiceSelect: FC<{
  name: string;
  label: string;
  value: string;
  hint: string;
  choices: readonly Choice[];
}> = (p) => (
  <p class="field">
    <label for={p.name}>{p.label}</label>
    <select id={p.name} name={p.name} required>
      <option value="" selected={p.value === ''}>
        Choose…
      </option>
      {p.choices.map((c) => (
        <option value={c.value} selected={c.value === p.value}>
          {c.label}
        </option>
      ))}
    </select>
    <small>{p.hint}</small>
  </p>
);

/** "Step 2 of 4 · the menu", with a way back to the step before. */
export const StepHeading: FC<{ step: OnboardingStep; title: string }> = ({ step, title }) => {
  const at = ONBOARDING_STEPS.indexOf(step);
  const before = ONBOARDING_STEPS[at - 1];
  return (
    <p class="steps">
      Step {at + 1} of {ONBOARDING_STEPS.length} · {title}
      {before === undefined ? null : (
        <>
          {' '}
          · <a href={before === 'shop' ? `${STEP_PATHS.shop}?step=shop` : STEP_PATHS[before]}>back</a>
        </>
      )}
    </p>
  );
};

/** Step 1: the password (on a fresh device), the shop, tax and hours; or the demo shop, filled in. */
export function shopStep(p: {
  values: OnboardingValues;
  errors: readonly string[];
  askPassword: boolean;
  csrf: string;
  timezones: readonly string[];
  demo: boolean;
}): Child {
  const v = p.values;
  return (
    <form method="post" action="/admin/onboarding" class="card">
      <StepHeading step="shop" title="your shop" />
      <p class="hint">
        {p.demo
          ? 'The demo burger bar is filled in: change what you like, or '
          : 'What customers and assistants are told about your shop. Just looking? '}
        {p.demo ? (
          <a href="/admin/onboarding?step=shop">start from an empty form</a>
        ) : (
          <a href="/admin/onboarding?step=shop&amp;demo=1">Try the demo burger bar</a>
        )}
        . <a href={guideHref('onboarding')}>Help with setting up</a>
      </p>
      <ErrorList errors={p.errors} />
      <CsrfField token={p.csrf} />
      {p.askPassword ? <PasswordFields /> : <p class="hint">The owner password is already set.</p>}
      <fieldset>
        <legend>The shop</legend>
        <Field name="name" label="Shop name" value={v.name} required maxlength={80} />
        <Field name="address" label="Address" value={v.address} autocomplete="street-address" />
        <Field name="phone" label="Phone" value={v.phone} type="tel" autocomplete="tel" />
        <ChoiceSelect
          name="currency"
          label="Currency"
          value={v.currency}
          choices={currencyChoices()}
          hint="What the menu is priced in."
        />
        <ChoiceSelect
          name="locale"
          label="Language and country"
          value={v.locale}
          choices={localeChoices(v.locale)}
          hint="How prices, dates and times are written for customers and on these pages."
        />
        <TimeZoneField value={v.timezone} zones={p.timezones} />
      </fieldset>
      <fieldset>
        <legend>Tax</legend>
        <Field
          name="tax_percent"
          label="Tax rate (%)"
          value={v.taxPercent}
          hint="Applies to the whole menu; 0 for none."
          inputmode="decimal"
          required
        />
        <label class="check">
          <input type="radio" name="tax_mode" value="exclusive" checked={!v.taxInclusive} /> Added on top of
          menu prices (US sales tax)
        </label>
        <label class="check">
          <input type="radio" name="tax_mode" value="inclusive" checked={v.taxInclusive} /> Included in menu
          prices (VAT)
        </label>
      </fieldset>
      <HoursFields values={v} />
      <button type="submit" class="primary">
        Save and continue
      </button>
    </form>
  );
}
