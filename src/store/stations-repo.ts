import type { Store } from './database.js';

/** A kitchen station as stored: its printer is the owner's printer choice as JSON, or none. */
export interface StationRow {
  readonly id: number;
  readonly name: string;
  /** The printer choice's JSON (admin/printer-choice.ts), undefined for a station with no printer. */
  readonly printer: string | undefined;
  /** Takes the lines no route names. */
  readonly isDefault: boolean;
}

/** A menu category or one item sent to a station. */
export interface StationRoute {
  readonly kind: 'category' | 'item';
  readonly targetId: string;
  readonly stationId: number;
}

/** Reads and writes the `stations` and `station_routes` tables. */
export interface StationsRepo {
  /** Every station, oldest first. */
  list(): StationRow[];
  routes(): StationRoute[];
  /** Adds or changes a station (id given: changes it); marking one default unmarks the others. Returns its id. */
  save(station: Omit<StationRow, 'id'> & { id?: number }, nowMs: number): number;
  remove(id: number): boolean;
  /** Replaces the station's routes; a category or item routed elsewhere before moves here. */
  setRoutes(stationId: number, routes: readonly Omit<StationRoute, 'stationId'>[]): void;
}

interface Row {
  id: number;
  name: string;
  printer: string | null;
  is_default: number;
}

/** Creates the stations repository over an open store, its statements prepared once. */
export function createStationsRepo({ store }: { store: Store }): StationsRepo {
  const { db } = store;
  const q = {
    list: db.prepare('SELECT id, name, printer, is_default FROM stations ORDER BY id'),
    routes: db.prepare(
      'SELECT target_kind AS kind, target_id AS targetId, station_id AS stationId FROM station_routes ORDER BY rowid',
    ),
    insert: db.prepare(
      'INSERT INTO stations (name, printer, is_default, created_at) VALUES (@name, @printer, @isDefault, @nowMs)',
    ),
    update: db.prepare(
      'UPDATE stations SET name = @name, printer = @printer, is_default = @isDefault WHERE id = @id',
    ),
    undefault: db.prepare('UPDATE stations SET is_default = 0 WHERE id != ?'),
    remove: db.prepare('DELETE FROM stations WHERE id = ?'),
    clearRoutes: db.prepare('DELETE FROM station_routes WHERE station_id = ?'),
    route: db.prepare(
      `INSERT INTO station_routes (target_kind, target_id, station_id) VALUES (?, ?, ?)
       ON CONFLICT (target_kind, target_id) DO UPDATE SET station_id = excluded.station_id`,
    ),
  };
  return {
    list: () =>
      (q.list.all() as Row[]).map((r) => ({
        id: r.id,
        name: r.name,
        printer: r.printer ?? undefined,
        isDefault: r.is_default === 1,
      })),
    routes: () => q.routes.all() as StationRoute[],
    save(station, nowMs) {
      const row = {
        name: station.name,
        printer: station.printer ?? null,
        isDefault: station.isDefault ? 1 : 0,
      };
      return store.transaction(() => {
        let id = station.id;
        if (id === undefined) id = Number(q.insert.run({ ...row, nowMs }).lastInsertRowid);
        else q.update.run({ ...row, id });
        if (station.isDefault) q.undefault.run(id);
        return id;
      });
    },
    remove: (id) => q.remove.run(id).changes === 1,
    setRoutes(stationId, routes) {
      store.transaction(() => {
        q.clearRoutes.run(stationId);
        for (const r of routes) q.route.run(r.kind, r.targetId, stationId);
      });
    },
  };
}
