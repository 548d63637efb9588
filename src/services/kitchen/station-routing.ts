import type { MenuIndex } from '../../domain/menu-index.js';
import type { StationPart } from '../../store/print-jobs-repo.js';
import type { StationRoute, StationRow } from '../../store/stations-repo.js';

/**
 * Which station prepares each line of an order: the item's own route wins over its category's; a line
 * neither names goes to the default station (marked by the owner, else the first one). Returns one
 * part per station that has lines, in the stations' order, numbered "1 of n"; none without stations.
 */
export function splitByStation(
  lines: readonly { readonly itemId: string }[],
  menu: MenuIndex,
  stations: readonly StationRow[],
  routes: readonly StationRoute[],
): StationPart[] {
  if (stations.length === 0) return [];
  const byItem = new Map(routes.filter((r) => r.kind === 'item').map((r) => [r.targetId, r.stationId]));
  const byCategory = new Map(
    routes.filter((r) => r.kind === 'category').map((r) => [r.targetId, r.stationId]),
  );
  const known = new Set(stations.map((s) => s.id));
  const fallback = (stations.find((s) => s.isDefault) ?? stations[0])?.id;
  const linesOf = new Map<number, number[]>();
  for (const [index, line] of lines.entries()) {
    const category = menu.items.get(line.itemId)?.categoryId;
    const routed = byItem.get(line.itemId) ?? (category === undefined ? undefined : byCategory.get(category));
    const station = routed !== undefined && known.has(routed) ? routed : fallback;
    if (station === undefined) continue;
    linesOf.set(station, [...(linesOf.get(station) ?? []), index]);
  }
  const used = stations.filter((s) => linesOf.has(s.id));
  return used.map((s, i) => ({
    stationId: s.id,
    name: s.name,
    part: i + 1,
    parts: used.length,
    lines: linesOf.get(s.id) ?? [],
  }));
}
