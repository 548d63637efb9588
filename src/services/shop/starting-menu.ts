import type { Menu } from '../../domain/catalog.js';
import { demoMenu, demoSettings } from './demo-shop.js';

/**
 * A menu with no items: a real shop adds its own. It keeps one category, because an item needs one and
 * the Menu page adds items, not categories (a menu file brings its own).
 */
export function emptyMenu(): Menu {
  const category = {
    id: 'menu',
    name: 'Menu',
    description: '',
    sort: 1,
    taxRateId: undefined,
    daypartId: undefined,
  };
  return { dayparts: [], categories: [category], modifierGroups: [], items: [] };
}

/** The menu a shop starts from in onboarding: the demo burger bar's, or none. */
export function startingMenu(start: 'demo' | 'empty'): Menu {
  return start === 'demo' ? demoMenu() : emptyMenu();
}

/** Whether the settings are still the demo shop's (its name): onboarding then offers the demo menu first. */
export function isDemoShop(name: string): boolean {
  return name === demoSettings().profile.name;
}
