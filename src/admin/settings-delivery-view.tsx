import type { FC } from 'hono/jsx';
import { Check, Field, type FieldErrors, TextArea } from './form-fields.js';
import type { FormValues } from './settings-form.js';
import { number } from './settings-section-view.js';

/** The delivery form's fields: on or off, fee, minimum, the postal codes served, the trip's minutes. */
export const DeliveryFields: FC<{ values: FormValues; errors: FieldErrors; currency: string }> = ({
  values: v,
  errors: e,
  currency,
}) => (
  <>
    <p class="hint">
      Customers ordering through an agent (ACP checkout) can choose delivery to an address in one of your
      postal codes. You deliver yourself; the ticket prints the address.
    </p>
    <p>
      <Check label="Offer local delivery" name="enabled" checked={v.enabled === 'on'} errors={e} />
    </p>
    <Field
      label={`Delivery fee (${currency})`}
      name="feeMinor"
      value={v.feeMinor ?? ''}
      errors={e}
      inputmode="decimal"
      size={8}
      hint="Added to every delivered order; 0 for free delivery"
    />
    <Field
      label={`Smallest order delivered (${currency})`}
      name="minimumMinor"
      value={v.minimumMinor ?? ''}
      errors={e}
      inputmode="decimal"
      size={8}
      hint="The items' total before tax and fees; 0 for no minimum"
    />
    <TextArea
      label="Postal codes you deliver to"
      name="postalCodes"
      value={v.postalCodes ?? ''}
      errors={e}
      hint="Separate them with commas or put one per line, like 10001, 10002"
    />
    {number(
      'Delivery time (minutes)',
      'leadMinutes',
      v,
      e,
      'How long the trip takes, on top of the kitchen’s lead time',
    )}
  </>
);
