import type { Child, FC } from 'hono/jsx';
import type { PrinterTarget } from '../config/config.js';
import type { MenuIndex } from '../domain/menu-index.js';
import type { Station } from '../services/kitchen/stations.js';
import { CsrfField, PostButton } from './admin-layout.js';
import { Field } from './form-fields.js';
import { parsePrinterChoice } from './printer-choice.js';

/** The stations page's content: what the owner sees and a problem with the form they sent, if any. */
export interface StationsPageState {
  readonly stations: readonly Station[];
  readonly menu: MenuIndex;
  readonly csrf: string;
  /** The refused form: which station (`new` for the add form) and why. */
  readonly refused?: { readonly form: string; readonly error: string };
}

/** A station's printer as the owner chose it, or none. */
function printerOf(station: Station | undefined): PrinterTarget | undefined {
  return station?.printer === undefined ? undefined : parsePrinterChoice(station.printer);
}

const PrinterFields: FC<{ prefix: string; target: PrinterTarget | undefined }> = ({ prefix, target }) => (
  <fieldset>
    <legend>Printer</legend>
    <label class="check">
      <input type="radio" name="kind" value="none" checked={target === undefined} /> No printer (its items
      show on the kitchen screen and the expo ticket)
    </label>
    <label class="check">
      <input type="radio" name="kind" value="tcp" checked={target?.kind === 'tcp'} /> Network printer
    </label>
    <Field
      id={`${prefix}-host`}
      name="host"
      label="Printer address"
      value={target?.kind === 'tcp' ? target.host : ''}
      placeholder="192.168.1.51"
    />
    <Field
      id={`${prefix}-port`}
      name="port"
      label="Port"
      value={target?.kind === 'tcp' ? String(target.port) : '9100'}
      inputmode="numeric"
    />
    <label class="check">
      <input type="radio" name="kind" value="usb" checked={target?.kind === 'usb'} /> USB printer
    </label>
    <Field
      id={`${prefix}-device`}
      name="device"
      label="USB device"
      value={target?.kind === 'usb' ? target.device : '/dev/usb/lp1'}
    />
    <label class="check">
      <input type="radio" name="kind" value="sim" checked={target?.kind === 'sim'} /> Save its tickets as
      files on this device (no printer yet)
    </label>
  </fieldset>
);

/** The routing choices: categories as checkboxes, single items in a list (an item's choice wins). */
const RouteFields: FC<{ station: Station | undefined; state: StationsPageState }> = ({ station, state }) => {
  const owner = (kind: 'categories' | 'items', id: string) =>
    state.stations.find((s) => s.id !== station?.id && s[kind].includes(id))?.name;
  return (
    <>
      <fieldset>
        <legend>Menu categories made here</legend>
        {state.menu.menu.categories.map((c) => (
          <label class="check">
            <input
              type="checkbox"
              name="categories"
              value={c.id}
              checked={station?.categories.includes(c.id)}
            />{' '}
            {c.name}
            {owner('categories', c.id) === undefined ? '' : ` (now ${owner('categories', c.id)})`}
          </label>
        ))}
      </fieldset>
      <p class="field">
        <label for={`${station?.id ?? 'new'}-items`}>Single items made here (whatever their category)</label>
        <select id={`${station?.id ?? 'new'}-items`} name="items" multiple size={6}>
          {state.menu.menu.items.map((i) => (
            <option value={i.id} selected={station?.items.includes(i.id)}>
              {i.name}
              {owner('items', i.id) === undefined ? '' : ` (now ${owner('items', i.id)})`}
            </option>
          ))}
        </select>
      </p>
    </>
  );
};

function stationForm(station: Station | undefined, state: StationsPageState): Child {
  const key = station === undefined ? 'new' : String(station.id);
  const refused = state.refused?.form === key ? state.refused.error : undefined;
  return (
    <form method="post" action={station === undefined ? '/admin/stations' : `/admin/stations/${station.id}`}>
      <CsrfField token={state.csrf} />
      {refused === undefined ? null : (
        <p class="error" role="alert">
          {refused}
        </p>
      )}
      <Field id={`${key}-name`} name="name" label="Name" value={station?.name ?? ''} placeholder="Grill" />
      <PrinterFields prefix={key} target={printerOf(station)} />
      <RouteFields station={station} state={state} />
      <label class="check">
        <input type="checkbox" name="default" value="on" checked={station?.isDefault} /> Takes every item not
        routed to a station
      </label>
      <button type="submit" class="primary">
        {station === undefined ? 'Add the station' : 'Save'}
      </button>
    </form>
  );
}

/** The stations page: one card per station (edit, remove) and a form to add one. */
export function stationsBody(state: StationsPageState): Child {
  return (
    <>
      <section class="card">
        <h2>Kitchen stations</h2>
        <p class="hint">
          With stations, a paid order prints one ticket per station with only its items ("Station 1 of 3"),
          and the main printer prints the expo ticket with everything, for packing. Without stations, the main
          printer prints one ticket per order.
        </p>
      </section>
      {state.stations.map((s) => (
        <section class="card" id={`station-${s.id}`}>
          <h2>{s.name}</h2>
          {stationForm(s, state)}
          <PostButton
            action={`/admin/stations/${s.id}/remove`}
            csrf={state.csrf}
            label="Remove"
            kind="danger"
          />
        </section>
      ))}
      <section class="card" id="add">
        <h2>Add a station</h2>
        {stationForm(undefined, state)}
      </section>
    </>
  );
}
