import type { PrinterTarget } from '../config/config.js';
import type { KitchenSignalsStatus } from '../services/kitchen/kitchen-signals.js';
import type { LaneStatus } from '../services/kitchen/print-lanes.js';
import type { PowerState } from '../services/operations/power-flags.js';
import type { AssistantReach } from '../services/shop/assistant-reach.js';
import type { ShopInfo } from '../services/shop/shop-service.js';
import type { StatusLine } from './admin-ports.js';
import type { GuideTopic } from './guide-link.js';

/** ok: working; off: an optional part not set up; warn: look at it; bad: not working. */
export type StatusTone = 'ok' | 'off' | 'warn' | 'bad';

/** One line of the owner's status panel, in words an owner understands. */
export interface OwnerStatusLine {
  readonly id: string;
  readonly name: string;
  readonly tone: StatusTone;
  readonly text: string;
  /** The owner's guide section that says more. */
  readonly guide?: GuideTopic;
}

/** The badge beside each line. */
export const TONE_BADGES: Readonly<Record<StatusTone, string>> = {
  ok: 'OK',
  off: 'Not set up',
  warn: 'Check',
  bad: 'Problem',
};

/** Whether orders are taken now, and why not; the panel adds the button that pauses or resumes them. */
export interface OrderingState {
  readonly text: string;
  readonly tone: StatusTone;
  readonly paused: boolean;
}

/** What the owner's words are made from, besides `/ready`'s lines. */
export interface OwnerStatusInput {
  readonly lines: readonly StatusLine[];
  readonly reach: AssistantReach;
  readonly printer: PrinterTarget;
  readonly signals: Pick<KitchenSignalsStatus, 'port' | 'ok' | 'error' | 'led' | 'unacknowledged'>;
  /** Order webhook receivers set up on Keys: without any, the line is left out. */
  readonly webhookReceivers: number;
  readonly formatTime: (instant: Date) => string;
  /** The Pi's power supply; without it the panel has no power line. */
  readonly power?: PowerState;
  /** Each printer's own state, the main one first, then the stations'; one line per station printer. */
  readonly printers?: readonly LaneStatus[];
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** Instants written for machines (`2026-11-24T08:30:00.000Z`) rewritten in the shop's time zone and locale. */
export function localTimes(text: string, formatTime: (instant: Date) => string): string {
  return text.replace(ISO_INSTANT, (iso) => formatTime(new Date(iso)));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The kitchen printer: where tickets go and whether they print. */
export function printerWords(
  printer: PrinterTarget,
  line: StatusLine | undefined,
): Omit<OwnerStatusLine, 'id'> {
  const name = 'Kitchen printer';
  const waiting = Number(/(\d+) ticket\(s\) waiting/.exec(line?.detail ?? '')?.[1] ?? 0);
  const queue = waiting === 0 ? '' : ` ${waiting} tickets wait and print by themselves once it works.`;
  if (printer.kind === 'sim') {
    return {
      name,
      tone: 'off',
      text: 'No printer chosen: tickets are saved as files on this device. Choose the printer on Settings.',
    };
  }
  if (line === undefined || line.ok) return { name, tone: 'ok', text: `Ready to print.${queue}` };
  const reason = line.detail.replace(/^\w+: /, '').replace(/; \d+ ticket\(s\) waiting$/, '');
  return { name, tone: 'bad', text: `Not printing: ${reason}.${queue}` };
}

/** A station's printer: whether its tickets print, and that the other stations' are not held up. */
export function stationPrinterWords(lane: LaneStatus): Omit<OwnerStatusLine, 'id'> {
  const name = `${lane.station ?? 'Station'} printer`;
  if (lane.status === 'online') return { name, tone: 'ok', text: 'Ready to print.' };
  const waiting =
    lane.waiting === 0
      ? ''
      : ` ${lane.waiting} ${lane.station} ticket(s) wait and print by themselves once it is back.`;
  return {
    name,
    tone: 'bad',
    text: `${lane.station} printer is offline: ${lane.reason}.${waiting} The other stations print as usual.`,
  };
}

/** The main printer's `/ready` line from its own lane, so a station printer away does not colour it. */
function mainPrinterLine(printers: readonly LaneStatus[] | undefined, line: StatusLine | undefined) {
  const main = printers?.[0];
  if (main === undefined) return line;
  return {
    name: 'printer',
    ok: main.status === 'online',
    detail: `${main.status}: ${main.reason}; ${main.waiting} ticket(s) waiting`,
  };
}

/** The light, buzzer and buttons on the device's pins. */
export function signalsWords(s: OwnerStatusInput['signals']): Omit<OwnerStatusLine, 'id'> {
  const name = 'Light, buzzer and buttons';
  if (!s.ok) {
    return {
      name,
      tone: 'bad',
      text: `Not working: ${s.error ?? 'the pins could not be opened'}. Orders are still taken.`,
    };
  }
  if (s.port !== 'onoff') {
    return {
      name,
      tone: 'off',
      text: 'None connected (optional): new orders are not signalled by a light or a beep.',
    };
  }
  return {
    name,
    tone: 'ok',
    text:
      s.led === 'blinking'
        ? `Working: the light blinks for ${s.unacknowledged} new order(s) until the button is pressed.`
        : 'Working.',
  };
}

/** The Pi's power supply, from its firmware's throttling flags (the power-flags service's own state). */
export function powerWords(state: PowerState): Omit<OwnerStatusLine, 'id'> {
  const name = 'Power supply';
  const guide = 'clockAndPower';
  if (state.kind === 'unread' || state.kind === 'absent') {
    return { name, guide, tone: 'off', text: 'Not known here: only a Raspberry Pi reports its power.' };
  }
  if (state.kind === 'unreadable') {
    return { name, guide, tone: 'warn', text: `The Pi's power report could not be read: ${state.reason}.` };
  }
  const f = state.flags;
  if (f.underVoltageNow || f.underVoltageSinceBoot) {
    const when = f.underVoltageNow ? 'now' : 'at least once since it was switched on';
    return {
      name,
      guide,
      tone: 'bad',
      text: `The Pi is short of power ${when}: use the official power supply.`,
    };
  }
  if (f.throttledNow || f.cappedNow) {
    return {
      name,
      guide,
      tone: 'bad',
      text: 'The Pi is slowing itself down now: give it air and the official power supply.',
    };
  }
  return { name, guide, tone: 'ok', text: 'Enough power since the Pi was switched on.' };
}

const REACH_TONES: Readonly<Record<AssistantReach['tone'], StatusTone>> = {
  ok: 'ok',
  warn: 'warn',
  bad: 'bad',
};

/** Every line of the status panel: the parts the owner knows, then any other part `/ready` reports. */
export function ownerStatus(input: OwnerStatusInput): OwnerStatusLine[] {
  const line = (id: string) => input.lines.find((l) => l.name === id);
  const out: OwnerStatusLine[] = [
    { id: 'printer', ...printerWords(input.printer, mainPrinterLine(input.printers, line('printer'))) },
    ...(input.printers ?? [])
      .slice(1)
      .map((lane, i) => ({ id: `printer-${i + 1}`, ...stationPrinterWords(lane) })),
    { id: 'gpio', ...signalsWords(input.signals) },
    {
      id: 'tunnel',
      name: 'Reachable by assistants',
      tone: REACH_TONES[input.reach.tone],
      text: input.reach.words,
    },
  ];
  const webhooks = line('webhooks');
  if (webhooks !== undefined && (input.webhookReceivers > 0 || !webhooks.ok)) {
    out.push({
      id: 'webhooks',
      name: 'Order updates sent to other systems',
      tone: webhooks.ok ? 'ok' : 'bad',
      text: webhooks.ok ? 'Sent.' : `Some were not delivered: ${webhooks.detail}.`,
    });
  }
  // Read from the flags themselves, not from `/ready`'s sentence about them.
  if (input.power !== undefined) out.push({ id: 'power', ...powerWords(input.power) });
  const known = new Set(['printer', 'gpio', 'tunnel', 'webhooks', 'power']);
  for (const other of input.lines.filter((l) => !known.has(l.name))) {
    out.push({
      id: other.name,
      name: capitalised(other.name),
      tone: other.ok ? 'ok' : 'bad',
      text: capitalised(localTimes(other.detail, input.formatTime)),
    });
  }
  return out;
}

/** Whether orders come in now, and why not, in the owner's words. */
export function orderingState(
  info: Pick<ShopInfo, 'pausedByOwner' | 'openNow' | 'nextOpening'>,
  /** Why the appliance itself takes no new order now (the disk, the clock), said in full above the board. */
  stopped: string | undefined,
  formatTime: (instant: Date) => string,
): OrderingState {
  const paused = info.pausedByOwner;
  if (stopped !== undefined) {
    return { paused, tone: 'bad', text: `Not taking new orders: ${stopped} (see above).` };
  }
  if (paused) {
    return {
      paused,
      tone: 'warn',
      text: 'Paused: no new orders until you resume (or the open/closed switch is turned back).',
    };
  }
  return info.openNow
    ? { paused, tone: 'ok', text: 'Open: taking orders.' }
    : {
        paused,
        tone: 'off',
        text:
          info.nextOpening === undefined
            ? 'Closed now by the opening hours.'
            : `Closed now by the opening hours; orders open again ${formatTime(info.nextOpening)}.`,
      };
}
