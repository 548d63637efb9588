import { describe, expect, it } from 'vitest';
import { indexMenu } from '../../domain/menu-index.js';
import type { StationRoute, StationRow } from '../../store/stations-repo.js';
import { demoMenu } from '../shop/demo-shop.js';
import { splitByStation } from './station-routing.js';

const MENU = indexMenu(demoMenu());
const station = (id: number, name: string, isDefault = false): StationRow => ({
  id,
  name,
  printer: undefined,
  isDefault,
});
const STATIONS = [station(1, 'Grill'), station(2, 'Fryer'), station(3, 'Drinks', true)];
const ROUTES: StationRoute[] = [
  { kind: 'category', targetId: 'burgers', stationId: 1 },
  { kind: 'category', targetId: 'sides', stationId: 2 },
  { kind: 'category', targetId: 'drinks', stationId: 3 },
  { kind: 'item', targetId: 'onion-rings', stationId: 1 },
];
const lines = (...ids: string[]) => ids.map((itemId) => ({ itemId }));

describe('routing order lines to stations', () => {
  it('sends a line by its category, and an item route wins over its category', () => {
    const parts = splitByStation(
      lines('cheeseburger', 'fries', 'onion-rings', 'cola'),
      MENU,
      STATIONS,
      ROUTES,
    );
    expect(parts).toEqual([
      { stationId: 1, name: 'Grill', part: 1, parts: 3, lines: [0, 2] },
      { stationId: 2, name: 'Fryer', part: 2, parts: 3, lines: [1] },
      { stationId: 3, name: 'Drinks', part: 3, parts: 3, lines: [3] },
    ]);
  });

  it('sends unrouted lines to the default station, else to the first, and counts only stations with lines', () => {
    expect(splitByStation(lines('brownie', 'fries'), MENU, STATIONS, ROUTES)).toEqual([
      { stationId: 2, name: 'Fryer', part: 1, parts: 2, lines: [1] },
      { stationId: 3, name: 'Drinks', part: 2, parts: 2, lines: [0] },
    ]);
    const noDefault = STATIONS.map((s) => ({ ...s, isDefault: false }));
    expect(splitByStation(lines('brownie'), MENU, noDefault, ROUTES)).toEqual([
      { stationId: 1, name: 'Grill', part: 1, parts: 1, lines: [0] },
    ]);
  });

  it('gives no parts without stations: the one ticket as before', () => {
    expect(splitByStation(lines('cheeseburger', 'cola'), MENU, [], ROUTES)).toEqual([]);
  });
});
