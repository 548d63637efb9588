import type { Child } from 'hono/jsx';
import type { PrinterTarget } from '../config/config.js';
import { CsrfField } from './admin-layout.js';
import { Field } from './form-fields.js';
import { guideLink } from './guide-link.js';
import { ImportProblems, type RefusedImport } from './menu-import-view.js';
import { ErrorList, StepHeading } from './onboarding-pages.js';

/** How the owner starts the menu. */
export type MenuStart = 'demo' | 'empty' | 'file';

/** Step 2: the menu, from the demo, empty, or a CSV/JSON file; a refused file lists its problems. */
export function menuStep(p: {
  itemCount: number;
  choice: MenuStart;
  refused: RefusedImport | undefined;
  errors: readonly string[];
  csrf: string;
}): Child {
  const radio = (value: MenuStart, label: string) => (
    <label class="check">
      <input type="radio" name="start" value={value} checked={p.choice === value} /> {label}
    </label>
  );
  return (
    <>
      {p.refused === undefined ? null : <ImportProblems refused={p.refused} />}
      <form method="post" action="/admin/onboarding/menu" enctype="multipart/form-data" class="card">
        <StepHeading step="menu" title="the menu" />
        <p class="hint">
          What customers can order. The menu has {p.itemCount} items now. Whatever you start from, the Menu
          page edits it later, item by item. {guideLink('menuFiles')}
        </p>
        <ErrorList errors={p.errors} />
        <CsrfField token={p.csrf} />
        <fieldset>
          <legend>Start from</legend>
          {radio('empty', 'An empty menu: add the items on the Menu page')}
          {radio('demo', 'The demo burger bar’s menu (34 items), to change or try things out')}
          {radio('file', 'A menu file (CSV or JSON) from a spreadsheet or another counterpi')}
          <p class="field">
            <label for="file">Menu file</label>
            <input id="file" name="file" type="file" accept=".csv,.json,text/csv,application/json" />
            <small>
              Only with “a menu file”. It is checked first: if anything in it is wrong nothing changes and
              every problem is listed by row and column.
            </small>
          </p>
        </fieldset>
        <button type="submit" class="primary">
          Save and continue
        </button>
      </form>
    </>
  );
}

/** Step 3: where the kitchen printer is, with a test ticket. */
export function printerStep(p: {
  current: PrinterTarget;
  paperWidthMm: 58 | 80;
  errors: readonly string[];
  csrf: string;
}): Child {
  const c = p.current;
  return (
    <form method="post" action="/admin/onboarding/printer" class="card">
      <StepHeading step="printer" title="the kitchen printer" />
      <p class="hint">Every paid order prints a ticket in the kitchen. {guideLink('printer')}</p>
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
      <button type="submit" name="action" value="test" class="secondary">
        Save and print a test ticket
      </button>
      <button type="submit" name="action" value="next" class="primary">
        Save and continue
      </button>
    </form>
  );
}

/** Step 4: the public address assistants reach the shop at; it may wait for the Connect page. */
export function addressStep(p: { errors: readonly string[]; csrf: string; port: string }): Child {
  return (
    <form method="post" action="/admin/onboarding/address" class="card">
      <StepHeading step="address" title="the public address" />
      <p class="hint">
        Assistants reach the shop over the internet, at a public https:// address. With a Cloudflare named
        tunnel: in Cloudflare’s dashboard create a tunnel, give it a public hostname (such as
        order.myshop.com) for the service http://localhost:{p.port}, and paste the token of its install
        command here. It can wait: the Connect page does the same later. {guideLink('publicAddress')}
      </p>
      <ErrorList errors={p.errors} />
      <CsrfField token={p.csrf} />
      <Field
        name="public_url"
        label="Public address"
        value=""
        type="url"
        placeholder="https://order.myshop.com"
      />
      <Field name="tunnel_token" label="Tunnel token" value="" type="password" autocomplete="off" />
      <button type="submit" name="action" value="skip" class="secondary" formnovalidate>
        Later: finish without it
      </button>
      <button type="submit" name="action" value="finish" class="primary">
        Save and finish
      </button>
    </form>
  );
}
