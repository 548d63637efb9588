import type { Child } from 'hono/jsx';
import type { ClockBehind, ClockJump } from '../services/operations/clock-watch.js';
import type { PowerState } from '../services/operations/power-flags.js';
import { PostButton } from './admin-layout.js';
import type { AdminModule } from './admin-shell.js';
import { guideHref } from './guide-link.js';

/** What the dashboard reads of the Pi itself: its clock and its power supply. */
export interface ApplianceAlertsDeps {
  readonly clockBehind: () => ClockBehind | undefined;
  readonly clockJump: () => ClockJump | undefined;
  readonly acknowledgeJump: () => void;
  readonly power: () => PowerState;
}

/** Where the owner acknowledges a clock jump. */
const ACKNOWLEDGE_PATH = '/admin/clock/acknowledge';

/** The Pi's clock and power problems, in the owner's words, for the top of the dashboard; none when all is well. */
export function applianceAlerts(
  deps: ApplianceAlertsDeps,
  ctx: { readonly csrf: string; readonly formatTime: (instant: Date) => string },
): Child {
  const behind = deps.clockBehind();
  const jump = deps.clockJump();
  const power = powerWords(deps.power());
  const help = <a href={guideHref('clockAndPower')}>What to do</a>;
  return (
    <>
      {behind === undefined ? null : (
        <p class="flash error clock-alert" role="alert">
          {behindWords(behind, ctx.formatTime)} {help}
        </p>
      )}
      {power === undefined ? null : (
        <p class="flash error power-alert" role="alert">
          {power} {help}
        </p>
      )}
      {jump === undefined ? null : (
        <div class="flash error clock-jump">
          <p>
            The Pi’s clock jumped {jump.byMs > 0 ? 'forward' : 'back'} by {duration(jump.byMs)} at{' '}
            {ctx.formatTime(jump.at)}. Orders from around then may show times out of order. If nobody changed
            the clock on purpose, check that the Pi reaches the internet, which sets its clock. {help}
          </p>
          <PostButton action={ACKNOWLEDGE_PATH} csrf={ctx.csrf} label="OK, hide this" kind="secondary" />
        </div>
      )}
    </>
  );
}

/** The acknowledgement of a clock jump: hides it from the dashboard, and records who did. */
export function clockJumpModule(deps: Pick<ApplianceAlertsDeps, 'acknowledgeJump'>): AdminModule {
  return {
    mount(router, shell) {
      router.post(ACKNOWLEDGE_PATH.slice('/admin'.length), (c) => {
        deps.acknowledgeJump();
        shell.ownerAction('clock.acknowledge_jump');
        shell.flash(c, 'ok', 'The clock jump is hidden.');
        return c.redirect('/admin', 303);
      });
    },
  };
}

function behindWords(behind: ClockBehind, formatTime: (instant: Date) => string): string {
  const known =
    behind.reason === 'records'
      ? `the shop already saved orders and visits up to ${formatTime(behind.until)}`
      : `this version of counterpi was made on ${formatTime(behind.until)}`;
  return `The Pi’s clock is wrong: it says ${formatTime(behind.now)}, but ${known}. Until the clock is right, customers are told the shop’s clock is not set yet and no new orders are taken. Connect the Pi to the internet, which sets its clock; ordering starts again by itself within seconds.`;
}

function powerWords(state: PowerState): string | undefined {
  if (state.kind !== 'read') return undefined;
  const { underVoltageNow, underVoltageSinceBoot } = state.flags;
  const harm = 'Too little power can damage the memory card and lose orders.';
  if (underVoltageNow) return `The Pi is not getting enough power — use the official power supply. ${harm}`;
  if (underVoltageSinceBoot) {
    return `The Pi is not getting enough power — use the official power supply. It ran short of power at least once since it was switched on. ${harm}`;
  }
  return undefined;
}

/** "3 days", "2 hours", "12 minutes": how far the clock jumped. */
function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const [amount, unit] =
    minutes >= 2 * 24 * 60
      ? [Math.round(minutes / (24 * 60)), 'days']
      : minutes >= 120
        ? [Math.round(minutes / 60), 'hours']
        : [minutes, 'minutes'];
  return `${amount} ${unit}`;
}
