import type { FC } from 'hono/jsx';
import { EMAIL_DEFAULTS } from '../domain/shop-settings.js';
import { Check, Field, Select } from './form-fields.js';
import { number, Section, type SettingsPageState } from './settings-section-view.js';

/** The email section of Settings: the shop's own mail server for the customers' emails. */
export const EmailSection: FC<{ state: SettingsPageState }> = ({ state }) => {
  const saved = state.settings.email ?? EMAIL_DEFAULTS;
  return (
    <Section
      id="email"
      help="customerEmail"
      title="Email to customers"
      state={state}
      fields={(v, e) => (
        <>
          <p class="hint">
            A customer may leave an email address on their order page: they get a receipt, then an email when
            the order is ready. It goes out through your own mail server (your email provider’s SMTP
            settings); nothing is sent while this is off.
          </p>
          <p>
            <Check label="Email customers who ask" name="enabled" checked={v.enabled === 'on'} errors={e} />
          </p>
          <Field
            label="Mail server (SMTP)"
            name="host"
            value={v.host ?? ''}
            errors={e}
            hint="Like smtp.example.com"
          />
          {number('Port', 'port', v, e, '587 for STARTTLS, 465 for TLS')}
          <Select
            label="Security"
            name="security"
            value={v.security ?? 'starttls'}
            options={[
              { value: 'starttls', label: 'STARTTLS (port 587)' },
              { value: 'tls', label: 'TLS (port 465)' },
              { value: 'none', label: 'none (a server on the shop’s own network)' },
            ]}
            errors={e}
          />
          <Field label="User name" name="user" value={v.user ?? ''} errors={e} autocomplete="off" />
          <Field
            label="Password"
            name="password"
            type="password"
            value=""
            errors={e}
            autocomplete="new-password"
            hint={saved.password === '' ? 'Empty if the server needs none' : 'Saved. Leave empty to keep it.'}
          />
          <Field
            label="Sender"
            name="from"
            value={v.from ?? ''}
            errors={e}
            hint="The address customers see, like Burger Bar <orders@burgerbar.com>"
          />
        </>
      )}
    />
  );
};
