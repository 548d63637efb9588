import { AppError } from '../../domain/app-error.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import { cleanPrinterText } from '../../domain/printer-text.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/database.js';
import type { StationsRepo } from '../../store/stations-repo.js';

/** What the owner sends for a new or changed station. */
export interface StationInput {
  readonly name: string;
  /** The printer choice's JSON; undefined: no printer (its lines show on the kitchen screen and the expo ticket). */
  readonly printer: string | undefined;
  /** Takes every line no route names. */
  readonly isDefault: boolean;
  readonly categories: readonly string[];
  readonly items: readonly string[];
}

/** A kitchen station with what is routed to it, as the owner's page shows it. */
export interface Station extends StationInput {
  readonly id: number;
}

/** The owner's kitchen stations: checked, stored, and handed to the print queue at once. */
export interface Stations {
  list(): Station[];
  /** Adds a station (no id) or changes one; throws `invalid_input` with the owner's words. Returns its id. */
  save(input: StationInput, id?: number): number;
  /** Removes a station; its waiting tickets print on the main printer. False when there was none. */
  remove(id: number): boolean;
}

export function createStations(deps: {
  readonly store: Store;
  readonly repo: StationsRepo;
  readonly menu: () => MenuIndex;
  readonly clock: Clock;
  /** The print queue picks up the stations' printers (PrintQueue.stationsChanged). */
  readonly changed: () => void;
}): Stations {
  const { repo } = deps;
  function list(): Station[] {
    const routes = repo.routes();
    return repo.list().map((s) => ({
      ...s,
      categories: routes.filter((r) => r.stationId === s.id && r.kind === 'category').map((r) => r.targetId),
      items: routes.filter((r) => r.stationId === s.id && r.kind === 'item').map((r) => r.targetId),
    }));
  }
  return {
    list,
    save(input, id) {
      const name = cleanPrinterText(input.name).trim();
      if (name.length < 1 || name.length > 40)
        throw new AppError('invalid_input', 'Give the station a name of 1 to 40 characters, like Grill.');
      if (id !== undefined && !repo.list().some((s) => s.id === id))
        throw new AppError('invalid_input', 'That station does not exist any more.');
      const menu = deps.menu();
      const categories = input.categories.filter((c) => menu.categories.has(c));
      const items = input.items.filter((i) => menu.items.has(i));
      const station = { id, name, printer: input.printer, isDefault: input.isDefault };
      const saved = deps.store.transaction(() => {
        const at = repo.save(station, deps.clock.now().getTime());
        repo.setRoutes(at, [
          ...categories.map((targetId) => ({ kind: 'category' as const, targetId })),
          ...items.map((targetId) => ({ kind: 'item' as const, targetId })),
        ]);
        return at;
      });
      deps.changed();
      return saved;
    },
    remove(id) {
      const removed = repo.remove(id);
      if (removed) deps.changed();
      return removed;
    },
  };
}
