import type { Child, FC } from 'hono/jsx';
import type { PrinterTarget } from '../config/config.js';
import { WEEKDAYS } from '../domain/catalog.js';
import { CsrfField } from './admin-layout.js';
import { Field } from './form-fields.js';
import { type OnboardingValues, WEEKDAY_NAMES } from './onboarding-form.js';
import { PASSWORD_MIN_LENGTH } from './owner-password.js';

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

/** Step 1: the password (on a fresh device), the shop, tax and hours. */
export function shopStep(p: {
  values: OnboardingValues;
  errors: readonly string[];
  askPassword: boolean;
  csrf: string;
  timezones: readonly string[];
}): Child {
  const v = p.values;
  const zones = p.timezones.includes(v.timezone) ? p.timezones : [v.timezone, ...p.timezones];
  return (
    <form method="post" action="/admin/onboarding" class="card">
      <p class="steps">Step 1 of 2 · your shop</p>
      <ErrorList errors={p.errors} />
      <CsrfField token={p.csrf} />
      {p.askPassword ? <PasswordFields /> : <p class="hint">The owner password is already set.</p>}
      <fieldset>
        <legend>The shop</legend>
        <Field name="name" label="Shop name" value={v.name} required maxlength={80} />
        <Field name="address" label="Address" value={v.address} autocomplete="street-address" />
        <Field name="phone" label="Phone" value={v.phone} type="tel" autocomplete="tel" />
        <Field
          name="currency"
          label="Currency"
          value={v.currency}
          hint="Three letters: USD, EUR, GBP, CHF … Menu prices stay as they are: import your menu afterwards."
          maxlength={3}
          autocapitalize="characters"
        />
        <Field
          name="locale"
          label="Language and country"
          value={v.locale}
          hint="How prices and times are written: en-US, en-GB, fr-FR, de-DE …"
        />
        <p class="field">
          <label for="timezone">Time zone</label>
          <select id="timezone" name="timezone">
            {zones.map((zone) => (
              <option value={zone} selected={zone === v.timezone}>
                {zone}
              </option>
            ))}
          </select>
        </p>
      </fieldset>
      <fieldset>
        <legend>Tax</legend>
        <Field
          name="tax_percent"
          label="Tax rate (%)"
          value={v.taxPercent}
          hint="Applies to the whole menu; 0 for none."
          inputmode="decimal"
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

/** Step 2: where the kitchen printer is, with a test ticket, then done. */
export function printerStep(p: {
  current: PrinterTarget;
  paperWidthMm: 58 | 80;
  errors: readonly string[];
  csrf: string;
}): Child {
  const c = p.current;
  return (
    <form method="post" action="/admin/onboarding/printer" class="card">
      <p class="steps">Step 2 of 2 · the kitchen printer</p>
      <ErrorList errors={p.errors} />
      <CsrfField token={p.csrf} />
      <fieldset>
        <legend>Where is the printer?</legend>
        <label class="check">
          <input type="radio" name="kind" value="sim" checked={c.kind === 'sim'} /> No printer yet (tickets
          are saved as files)
        </label>
        <label class="check">
          <input type="radio" name="kind" value="tcp" checked={c.kind === 'tcp'} /> Network printer (Ethernet
          or Wi-Fi)
        </label>
        <Field
          name="host"
          label="Printer address"
          value={c.kind === 'tcp' ? c.host : ''}
          hint="Printed on the printer's self-test page (hold FEED while switching it on)."
          placeholder="192.168.1.50"
        />
        <Field
          name="port"
          label="Port"
          value={c.kind === 'tcp' ? String(c.port) : '9100'}
          inputmode="numeric"
        />
        <label class="check">
          <input type="radio" name="kind" value="usb" checked={c.kind === 'usb'} /> USB printer
        </label>
        <Field name="device" label="USB device" value={c.kind === 'usb' ? c.device : '/dev/usb/lp0'} />
      </fieldset>
      <fieldset>
        <legend>Paper</legend>
        <label class="check">
          <input type="radio" name="paper" value="80" checked={p.paperWidthMm === 80} /> 80 mm
        </label>
        <label class="check">
          <input type="radio" name="paper" value="58" checked={p.paperWidthMm === 58} /> 58 mm
        </label>
      </fieldset>
      <fieldset>
        <legend>Public address (optional, can be done later on the Connect page)</legend>
        <p class="hint">
          With a Cloudflare named tunnel: the https:// address you gave it in Cloudflare’s dashboard, and the
          token of its install command.
        </p>
        <Field name="public_url" label="Public address" value="" />
        <Field name="tunnel_token" label="Tunnel token" value="" type="password" autocomplete="off" />
      </fieldset>
      <button type="submit" name="action" value="test" class="secondary">
        Save and print a test ticket
      </button>
      <button type="submit" name="action" value="finish" class="primary">
        Save and go to the dashboard
      </button>
    </form>
  );
}
