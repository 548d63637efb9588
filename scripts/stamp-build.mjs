#!/usr/bin/env node
// Part of `npm run build`: writes dist/build.json, the time this build was made. A running counterpi
// takes no orders while the wall clock is earlier than it (a Pi has no battery clock and may boot with
// a stale time; src/platform/build-time.ts). SOURCE_DATE_EPOCH, when set (a reproducible build), is
// used instead of now: it is earlier still, so still a time the real clock has passed.
import { writeFileSync } from 'node:fs';

const epoch = process.env.SOURCE_DATE_EPOCH;
const builtAt = epoch === undefined || epoch === '' ? new Date() : new Date(Number(epoch) * 1000);
if (Number.isNaN(builtAt.getTime())) {
  console.error(`stamp-build: SOURCE_DATE_EPOCH must be seconds since 1970, not "${epoch}"`);
  process.exit(1);
}
writeFileSync(
  new URL('../dist/build.json', import.meta.url),
  `${JSON.stringify({ built_at: builtAt.toISOString() })}\n`,
);
