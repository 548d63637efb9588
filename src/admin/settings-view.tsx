import type { Child } from 'hono/jsx';
import { ActionButton, Check, Field, Select } from './form-fields.js';
import { guideHref, guideLink } from './guide-link.js';
import { DeliveryFields } from './settings-delivery-view.js';
import { EmailSection } from './settings-email-view.js';
import { HoursFields } from './settings-hours-view.js';
import { number, Section, type SettingsPageState } from './settings-section-view.js';
import { GPIO_PARTS } from './settings-sections.js';

/** The whole settings page: the pause switch, then one form per section. */
export function settingsBody(state: SettingsPageState): Child {
  const { settings, csrf } = state;
  const currency = settings.profile.currency;
  return (
    <>
      <p class="hint intro">
        How the shop takes orders: pause them, opening hours, pickup, delivery, tax, fees and tips, the
        printer and the light and buzzer. Each part saves on its own; the ? beside it explains it. The shop’s
        name, address, phone, currency and language are the ones given at{' '}
        <a href={guideHref('onboarding')}>setting up</a>.
      </p>
      <section class="card" id="ordering">
        <h2>Ordering {guideLink('pausing')}</h2>
        <p>
          {settings.pausedByOwner
            ? 'Ordering is paused: assistants tell customers the shop is not taking orders.'
            : 'Ordering is on during opening hours.'}
        </p>
        <ActionButton
          action="/admin/settings/pause"
          csrf={csrf}
          label={settings.pausedByOwner ? 'Resume ordering' : 'Pause ordering'}
          kind={settings.pausedByOwner ? 'primary' : 'danger'}
          fields={{ paused: settings.pausedByOwner ? 'no' : 'yes' }}
        />
      </section>
      <Section
        id="hours"
        help="hours"
        title="Opening hours"
        state={state}
        fields={(values, errors) => <HoursFields values={values} errors={errors} />}
      />
      <Section
        id="pickup"
        help="pickup"
        title="Pickup"
        state={state}
        fields={(v, e) => (
          <>
            {number(
              'Lead time (minutes)',
              'leadMinutes',
              v,
              e,
              'What the kitchen needs before the earliest pickup',
            )}
            {number('Slot length (minutes)', 'slotMinutes', v, e)}
            {number('Orders per slot', 'slotCapacity', v, e, '0 for no limit')}
            {number('Days ahead a customer may order', 'maxDaysAhead', v, e)}
          </>
        )}
      />
      <Section
        id="delivery"
        help="delivery"
        title="Delivery"
        state={state}
        fields={(v, e) => <DeliveryFields values={v} errors={e} currency={currency} />}
      />
      <Section
        id="tax"
        help="tax"
        title="Tax"
        state={state}
        fields={(v, e) => (
          <>
            <Select
              label="Menu prices"
              name="inclusive"
              value={v.inclusive ?? ''}
              options={[
                { value: 'inclusive', label: 'include tax (VAT)' },
                { value: 'exclusive', label: 'exclude tax: it is added at checkout' },
              ]}
              errors={e}
            />
            {settings.tax.rates.map((rate, i) => (
              <fieldset>
                <legend>Tax rate “{rate.id}”</legend>
                <Field label="Name" name={`rates.${i}.name`} value={v[`rates.${i}.name`] ?? ''} errors={e} />
                <Field
                  label="Percent"
                  name={`rates.${i}.percent`}
                  value={v[`rates.${i}.percent`] ?? ''}
                  errors={e}
                  inputmode="decimal"
                  size={6}
                />
              </fieldset>
            ))}
            <Select
              label="Default rate"
              name="defaultRateId"
              value={v.defaultRateId ?? ''}
              options={settings.tax.rates.map((r) => ({ value: r.id, label: r.name }))}
              errors={e}
            />
          </>
        )}
      />
      <Section
        id="fees"
        help="fees"
        title="Fees and tips"
        state={state}
        fields={(v, e) => (
          <>
            <Select
              label="Service fee"
              name="serviceFee.kind"
              value={v['serviceFee.kind'] ?? 'none'}
              options={[
                { value: 'none', label: 'none' },
                { value: 'percent', label: 'a percent of the items' },
                { value: 'fixed', label: 'a fixed amount' },
              ]}
              errors={e}
            />
            <Field
              label="Percent"
              name="serviceFee.percent"
              value={v['serviceFee.percent'] ?? ''}
              errors={e}
              inputmode="decimal"
              size={6}
            />
            <Field
              label={`Amount (${currency})`}
              name="serviceFee.amount"
              value={v['serviceFee.amount'] ?? ''}
              errors={e}
              inputmode="decimal"
              size={8}
            />
            <p>
              <Check
                label="Customers may add a tip"
                name="tips.enabled"
                checked={v['tips.enabled'] === 'on'}
              />
            </p>
            <Field
              label="Suggested tips (percent)"
              name="tips.suggestedPercents"
              value={v['tips.suggestedPercents'] ?? ''}
              errors={e}
              hint="Up to five, like 10, 15, 20"
            />
          </>
        )}
      />
      <Section
        id="printer"
        help="printer"
        title="Printer"
        state={state}
        after={
          <p>
            Tickets go to: {state.printer}.{' '}
            <ActionButton action="/admin/settings/printer/test" csrf={csrf} label="Print a test ticket" />
          </p>
        }
        fields={(v, e) => (
          <>
            <Select
              label="Paper width"
              name="paperWidthMm"
              value={v.paperWidthMm ?? ''}
              options={[
                { value: '58', label: '58 mm' },
                { value: '80', label: '80 mm' },
              ]}
              errors={e}
            />
            <p>
              <Check
                label="Print a receipt for the customer too"
                name="customerReceipt"
                checked={v.customerReceipt === 'on'}
              />
            </p>
          </>
        )}
      />
      <Section
        id="gpio"
        help="gpio"
        title="GPIO pins"
        state={state}
        after={
          <p>
            {state.gpio}{' '}
            <ActionButton action="/admin/settings/gpio/test" csrf={csrf} label="Test the LED and buzzer" />
          </p>
        }
        fields={(v, e) => (
          <>
            <p class="hint">
              BCM pin numbers (<a href={guideHref('wiring')}>how to wire them</a>). New pins are used after
              counterpi restarts.
            </p>
            {GPIO_PARTS.map(([name, label]) => number(label, name, v, e))}
          </>
        )}
      />
      <EmailSection state={state} />
    </>
  );
}
