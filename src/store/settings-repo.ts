import type { ShopSettings } from '../domain/shop-settings.js';
import type { Store } from './database.js';
import { type SettingsSection, settingsSections, shopSettingsSchema } from './settings-schema.js';

/** The owner's settings, one JSON row per section, validated on the way in and out. */
export interface SettingsRepo {
  /** All sections; undefined until the shop has been seeded. */
  load(): ShopSettings | undefined;
  /** Writes every section in one transaction (first boot, restore). */
  saveAll(settings: ShopSettings): void;
  /** Writes one section after validating it; throws a ZodError naming the bad fields. */
  saveSection<K extends SettingsSection>(key: K, value: ShopSettings[K]): void;
}

/** Creates the settings repository; `clock` stamps `updated_at`. */
export function createSettingsRepo({ store, clock }: { store: Store; clock: { now(): Date } }): SettingsRepo {
  const select = store.db.prepare('SELECT key, value FROM settings');
  const upsert = store.db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const write = (key: SettingsSection, value: unknown): void => {
    const parsed = settingsSections[key].parse(value);
    upsert.run(key, JSON.stringify(parsed), clock.now().getTime());
  };

  return {
    load() {
      const rows = select.all() as { key: string; value: string }[];
      if (rows.length === 0) return undefined;
      const raw = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
      return shopSettingsSchema.parse(raw);
    },
    saveAll(settings) {
      store.transaction(() => {
        for (const key of Object.keys(settingsSections) as SettingsSection[]) write(key, settings[key]);
      });
    },
    saveSection(key, value) {
      store.transaction(() => write(key, value));
    },
  };
}
