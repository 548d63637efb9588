import type { Child } from 'hono/jsx';
import { isAppError } from '../domain/app-error.js';
import type { KitchenBoard } from '../services/kitchen/kitchen-board.js';
import type { KitchenDevices } from '../services/kitchen/kitchen-devices.js';
import { CsrfField, messagePage, PostButton } from './admin-layout.js';
import type { AdminModule } from './admin-shell.js';
import { readForm } from './form-read.js';
import { setDeviceCookie } from './kitchen-device-cookie.js';

export interface KitchenDevicesPageDeps {
  readonly devices: KitchenDevices;
  readonly board: Pick<KitchenBoard, 'timers' | 'setTimers' | 'changed'>;
  readonly publicUrl: string;
  readonly formatTime: (instant: Date) => string;
}

/** The Stations page's kitchen screen section: open it here, pair a tablet, the paired tablets, the timers. */
export function kitchenScreenSection(deps: KitchenDevicesPageDeps, csrf: string): Child {
  const timers = deps.board.timers();
  const devices = deps.devices.list();
  return (
    <section class="card" id="kitchen-screen">
      <h2>Kitchen screen</h2>
      <p class="hint">
        A tablet on the kitchen wall shows each paid order's items per station at <b>/kitchen</b>, live. Make
        a pairing code here and type it on the tablet once (it works for 10 minutes, once); the tablet then
        stays paired until you remove it below.
      </p>
      <PostButton action="/admin/stations/screen/code" csrf={csrf} label="New pairing code" />{' '}
      <PostButton
        action="/admin/stations/screen/open"
        csrf={csrf}
        label="Open the kitchen screen on this device"
        kind="secondary"
      />
      <h3>Age timers</h3>
      <form method="post" action="/admin/stations/screen/timers">
        <CsrfField token={csrf} />
        <label for="amber">Amber after (minutes)</label>
        <input id="amber" name="amber" inputmode="numeric" value={String(timers.amberMinutes)} />
        <label for="red">Red after (minutes)</label>
        <input id="red" name="red" inputmode="numeric" value={String(timers.redMinutes)} />
        <button type="submit" class="secondary">
          Save timers
        </button>
      </form>
      <h3>Paired screens</h3>
      {devices.length === 0 ? <p class="hint">No screen is paired.</p> : null}
      <ul>
        {devices.map((d) => (
          <li id={`kitchen-device-${d.id}`}>
            {d.name} · paired {deps.formatTime(new Date(d.createdAt))} · last seen{' '}
            {deps.formatTime(new Date(d.lastSeenAt))}{' '}
            {d.revokedAt === undefined ? (
              <PostButton
                action={`/admin/stations/screen/devices/${d.id}/revoke`}
                csrf={csrf}
                label="Remove"
                kind="danger"
              />
            ) : (
              <b>removed</b>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The routes behind the section; no nav entry (the section lives on the Stations page). */
export function kitchenDevicesModule(deps: KitchenDevicesPageDeps): AdminModule {
  return {
    mount(router, shell) {
      router.post('/stations/screen/code', (c) => {
        const made = deps.devices.newCode();
        shell.ownerAction('kitchen.pairing_code');
        return shell.render(c, {
          title: 'Pairing code',
          nav: 'stations',
          body: messagePage(
            `Type ${made.code} on the tablet at /kitchen before ${deps.formatTime(made.expiresAt)}. It works once.`,
            { href: '/admin/stations#kitchen-screen', label: 'Back to the stations' },
          ),
        });
      });
      router.post('/stations/screen/open', (c) => {
        setDeviceCookie(c, deps.devices.pairOwnerBrowser("Owner's browser"), deps.publicUrl);
        shell.ownerAction('kitchen.open_here');
        return c.redirect('/kitchen', 303);
      });
      router.post('/stations/screen/devices/:id/revoke', (c) => {
        const id = Number(c.req.param('id'));
        if (deps.devices.revoke(id)) {
          deps.board.changed();
          shell.ownerAction('kitchen.revoke', String(id));
          shell.flash(c, 'ok', 'The screen is removed: it shows nothing from now on.');
        } else shell.flash(c, 'error', 'That screen was removed already.');
        return c.redirect('/admin/stations#kitchen-screen', 303);
      });
      router.post('/stations/screen/timers', async (c) => {
        const form = await readForm(c);
        try {
          deps.board.setTimers({
            amberMinutes: Number(form.text('amber')),
            redMinutes: Number(form.text('red')),
          });
          shell.ownerAction('kitchen.timers', undefined, {
            input: { amber: form.text('amber'), red: form.text('red') },
          });
          shell.flash(c, 'ok', 'The kitchen screen uses the new timers now.');
        } catch (error) {
          if (!isAppError(error, 'invalid_input')) throw error;
          shell.flash(c, 'error', error.message);
        }
        return c.redirect('/admin/stations#kitchen-screen', 303);
      });
    },
  };
}
