import { readFileSync } from 'node:fs';

/**
 * When this build was made: `built_at` of dist/build.json, which `npm run build` writes
 * (scripts/stamp-build.mjs). Undefined when run from source (tests, tsx), where there is no build, or
 * when the file is unreadable: the clock gate then has only the shop's records to go by.
 */
export function readBuildTime(file = new URL('../build.json', import.meta.url)): Date | undefined {
  try {
    const { built_at: at } = JSON.parse(readFileSync(file, 'utf8')) as { built_at?: unknown };
    const time = typeof at === 'string' ? new Date(at) : undefined;
    return time === undefined || Number.isNaN(time.getTime()) ? undefined : time;
  } catch {
    return undefined;
  }
}
