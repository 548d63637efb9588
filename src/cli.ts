#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig, readEnvironment } from './config/config.js';
import { isAppError } from './domain/app-error.js';
import { databaseFile, startCounterpi } from './main.js';
import { createLogger } from './platform/logger.js';
import { openStore } from './store/database.js';

const USAGE = `counterpi — an ordering appliance for small shops

Usage:
  counterpi start                          serve the shop (configured by environment variables or .env)
  counterpi menu import FILE [--format csv|json]
                                           replace the whole menu from a CSV or JSON file (all or nothing)
  counterpi menu export [--format csv|json] write the menu to standard output (default csv)
  counterpi backup FILE                    copy the database to FILE while the shop keeps running
  counterpi help                           show this text
`;

type Command = (args: string[], config: Config) => Promise<number>;

const commands: Record<string, Command> = {
  start: runStart,
  backup: runBackup,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return command(rest, loadConfig(readEnvironment(process.env, process.cwd())));
}

async function runStart(_args: string[], config: Config): Promise<number> {
  const log = createLogger({ level: config.logLevel });
  const app = await startCounterpi(config, { log });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await app.stop();
  log.flush();
  return 0;
}

async function runBackup(args: string[], config: Config): Promise<number> {
  const [file] = args;
  if (file === undefined) {
    process.stderr.write('Usage: counterpi backup FILE\n');
    return 2;
  }
  const store = openStore({ file: databaseFile(config.dataDir) });
  try {
    await store.backup(file);
  } finally {
    store.close();
  }
  process.stderr.write(`Backed up ${databaseFile(config.dataDir)} to ${file}\n`);
  return 0;
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function describeFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (isAppError(error)) {
    const lines = error.violations.map((v) => `- ${v.path === undefined ? '' : `${v.path}: `}${v.message}`);
    return [error.message, ...lines].join('\n');
  }
  return error instanceof Error ? `counterpi failed: ${error.message}` : 'counterpi failed';
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  allowPositionals: true,
});
if (values.version === true) {
  process.stdout.write(`${readVersion()}\n`);
} else {
  main(positionals.length > 0 ? process.argv.slice(2) : [])
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(`${describeFailure(error)}\n`);
      process.exitCode = 1;
    });
}
