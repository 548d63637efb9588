import type { PrinterPort } from '../../devices/printer.js';
import type { StationsRepo } from '../../store/stations-repo.js';
import type { OwedWrites } from './print-owed.js';
import { kick, type PrintParts, type PrintPass, type PrintState } from './print-pass.js';
import type { SendingMarks } from './sending-marks.js';

/** What the lanes are made from: the queue's parts, the main printer and the stations' printers. */
export interface LaneParts extends PrintParts {
  readonly printer: PrinterPort;
  readonly stations: Pick<StationsRepo, 'list'>;
  /** A station's printer port from its stored printer choice; undefined when the choice is unreadable. */
  readonly stationPrinter: (choiceJson: string) => PrinterPort | undefined;
  readonly sendTimeoutMs: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly owed: OwedWrites;
  readonly marks: SendingMarks;
}

/** One printer's state as the owner reads it on the dashboard. */
export interface LaneStatus {
  /** The station's name; undefined for the main printer. */
  readonly station: string | undefined;
  readonly status: 'online' | 'offline' | 'error';
  readonly reason: string;
  readonly waiting: number;
}

/** The main printer's lane and one per station with a printer, kept in step with the owner's stations. */
export interface PrintLanes {
  readonly main: PrintPass;
  /** Every lane, the main printer's first. */
  all(): PrintPass[];
  /** Rereads the stations: new lanes for new printers, none for removed ones (their jobs go to the main printer). */
  sync(): void;
  kickAll(): void;
  status(done: number): LaneStatus[];
}

const freshState = (): PrintState => ({
  poll: undefined,
  holdTimer: undefined,
  running: undefined,
  again: false,
  stopping: false,
  closed: false,
  failures: 0,
  lastReason: '',
  holdUntil: 0,
});

export function createPrintLanes(parts: LaneParts): PrintLanes {
  const { stations, stationPrinter, ...shared } = parts;
  const main: PrintPass = { ...shared, station: undefined, state: freshState() };
  const lanes = new Map<number, { pass: PrintPass; choice: string; name: string }>();

  function retire(id: number): void {
    const lane = lanes.get(id);
    if (lane === undefined) return;
    lane.pass.state.stopping = true;
    clearTimeout(lane.pass.state.holdTimer);
    lanes.delete(id);
  }

  function sync(): void {
    const live: number[] = [];
    for (const station of stations.list()) {
      const printer = station.printer === undefined ? undefined : stationPrinter(station.printer);
      if (printer === undefined || station.printer === undefined) {
        retire(station.id);
        continue;
      }
      live.push(station.id);
      const lane = lanes.get(station.id);
      if (lane !== undefined && lane.choice === station.printer) {
        lane.name = station.name;
        continue;
      }
      retire(station.id);
      const pass: PrintPass = { ...shared, printer, station: station.id, state: freshState() };
      lanes.set(station.id, { pass, choice: station.printer, name: station.name });
    }
    for (const id of [...lanes.keys()]) if (!live.includes(id)) retire(id);
    const moved = parts.store.transaction(() => parts.jobs.rehome(live));
    if (moved > 0)
      parts.log.warn({ moved }, 'tickets of stations without a printer now print on the main printer');
  }

  const all = () => [main, ...[...lanes.values()].map((l) => l.pass)];
  return {
    main,
    all,
    sync,
    kickAll: () => {
      for (const lane of all()) kick(lane);
    },
    status(done) {
      const row = (pass: PrintPass, station: string | undefined): LaneStatus => ({
        station,
        ...pass.printer.state(),
        waiting: pass.jobs.waiting(pass.station ?? null),
      });
      const mainRow = row(main, undefined);
      return [
        { ...mainRow, waiting: Math.max(0, mainRow.waiting - done) },
        ...[...lanes.values()].map((l) => row(l.pass, l.name)),
      ];
    },
  };
}
