import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OffCardTarget } from './off-card-target.js';
import { runTool } from './run-tool.js';

/** The owner's rclone remote, one section, in the data directory with mode 0600; never logged. */
export const RCLONE_CONF = 'rclone.conf';

/** Starting points the owner fills in on the Backups page (or pastes the section `rclone config` wrote). */
export const RCLONE_PRESETS = {
  b2: {
    label: 'Backblaze B2',
    text: '[offsite]\ntype = b2\naccount = YOUR-KEY-ID\nkey = YOUR-APPLICATION-KEY\n',
  },
  s3: {
    label: 'S3-compatible storage (AWS, Wasabi, Scaleway, MinIO…)',
    text: '[offsite]\ntype = s3\nprovider = Other\naccess_key_id = YOUR-ACCESS-KEY\nsecret_access_key = YOUR-SECRET-KEY\nendpoint = https://s3.example.com\n',
  },
  alias: {
    label: 'A folder on this Pi (a network share mounted by the system)',
    text: '[offsite]\ntype = alias\nremote = /mnt/share/counterpi\n',
  },
} as const;

/** A remote section as the owner gave it: its name and type, or what is wrong with it. */
export type RemoteSection =
  | { readonly ok: true; readonly name: string; readonly type: string; readonly text: string }
  | { readonly ok: false; readonly problem: string };

/** Checks a pasted rclone config: exactly one `[name]` section with a `type`. */
export function parseRemoteSection(raw: string): RemoteSection {
  const text = `${raw.replace(/\r\n?/g, '\n').trim()}\n`;
  const lines = text.split('\n').map((line) => line.trim());
  const headers = lines.filter((line) => line.startsWith('['));
  const name = /^\[([A-Za-z0-9_.-]{1,64})\]$/.exec(headers[0] ?? '')?.[1];
  if (headers.length !== 1 || name === undefined) {
    return { ok: false, problem: 'paste exactly one section, starting with a line like [offsite]' };
  }
  const type = lines.map((line) => /^type\s*=\s*(\S+)$/.exec(line)?.[1]).find((t) => t !== undefined);
  if (type === undefined) return { ok: false, problem: 'the section needs a line like "type = b2"' };
  if (
    lines.some((line) => line !== '' && !line.startsWith('[') && !line.startsWith('#') && !line.includes('='))
  ) {
    return { ok: false, problem: 'every line after the section name must look like "key = value"' };
  }
  return { ok: true, name, type, text };
}

/** The saved remote section, if any (undefined when none was saved or the file is not one). */
export function readRemoteSection(dataDir: string): Extract<RemoteSection, { ok: true }> | undefined {
  const file = join(dataDir, RCLONE_CONF);
  if (!existsSync(file)) return undefined;
  const section = parseRemoteSection(readFileSync(file, 'utf8'));
  return section.ok ? section : undefined;
}

/** Saves a checked section with mode 0600 (it holds the remote's credentials). */
export function saveRemoteSection(dataDir: string, section: Extract<RemoteSection, { ok: true }>): void {
  const file = join(dataDir, RCLONE_CONF);
  writeFileSync(`${file}.new`, section.text, { mode: 0o600 });
  renameSync(`${file}.new`, file);
}

/** Forgets the remote. */
export function removeRemoteSection(dataDir: string): void {
  rmSync(join(dataDir, RCLONE_CONF), { force: true });
}

/** Every value of the section, so that none reaches a log or a page through rclone's messages. */
function redactor(text: string): (message: string) => string {
  const secrets = text
    .split('\n')
    .map((line) => /^[^=#[]+=\s*(.+)$/.exec(line.trim())?.[1]?.trim())
    .filter((value): value is string => value !== undefined && value.length >= 4);
  return (message) => secrets.reduce((out, secret) => out.split(secret).join('***'), message);
}

const RCLONE_TIMEOUT_MS = 15 * 60_000;

/** The remote `name:folder` of the saved config, as a place to put copies. */
export function rcloneTarget(dataDir: string, folder: string): OffCardTarget | undefined {
  const section = readRemoteSection(dataDir);
  if (section === undefined) return undefined;
  const conf = join(dataDir, RCLONE_CONF);
  const base = `${section.name}:${folder.replace(/^\/+|\/+$/g, '')}`;
  const redact = redactor(section.text);
  // Bounded waits: a dead network fails the copy in minutes, not never.
  const rclone = (signal: AbortSignal, ...args: string[]) =>
    runTool(
      'rclone',
      ['--config', conf, '--contimeout', '30s', '--timeout', '5m', '--retries', '2', ...args],
      { timeoutMs: RCLONE_TIMEOUT_MS, redact, signal },
    );
  return {
    kind: 'remote',
    label: base,
    where: (name) => `${base}/${name}`,
    ready: () => undefined,
    put: async (local, name, signal) => {
      await rclone(signal, 'copyto', local, `${base}/${name}`);
    },
    fetch: async (name, local, signal) => {
      await rclone(signal, 'copyto', `${base}/${name}`, local);
      return local;
    },
    list: async (signal) =>
      (await rclone(signal, 'lsf', '--files-only', base))
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    remove: async (name, signal) => {
      await rclone(signal, 'deletefile', `${base}/${name}`);
    },
  };
}
