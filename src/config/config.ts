import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/** How the kitchen printer is reached. */
export type PrinterTarget =
  | { readonly kind: 'sim' }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'usb'; readonly device: string };

/** Everything the process needs before it opens the store: the operator contract of DESIGN.md. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** The public origin, no trailing slash; issuer and resource URLs derive from it, never from Host. */
  readonly publicUrl: string;
  readonly printer: PrinterTarget;
  readonly gpio: 'sim' | 'onoff';
  readonly payments: 'demo' | 'stripe';
  readonly adminPassword: string | undefined;
  readonly stripeSecretKey: string | undefined;
  /** The signing secret of the Stripe webhook endpoint (`whsec_…`); set when payments is stripe. */
  readonly stripeWebhookSecret: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Below this much free space on DATA_DIR's disk no new order is taken, so those taken can finish. */
  readonly diskReserveBytes: number;
  /**
   * Loopback, private or link-local addresses and ranges order webhooks may go to (a receiver on the
   * shop's own network); none by default, so a webhook reaches only the public internet.
   */
  readonly webhookPrivateReceivers: readonly string[];
  /** The token ChatGPT's app submission asks the shop to serve at /.well-known/openai-apps-challenge. */
  readonly openaiAppsChallenge: string | undefined;
  /** The Raspberry Pi firmware's throttling flags (under-voltage); `vcgencmd get_throttled` where it is absent. */
  readonly throttledFile: string;
  /**
   * Where a USB drive is mounted (by fstab or the desktop) to receive a copy of each nightly backup;
   * when set it wins over the drive picked on the Backups page. counterpi never mounts it itself.
   */
  readonly backupUsbDir: string | undefined;
}

/** Raised with every configuration problem at once, each phrased for a shop owner. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `counterpi cannot start: the configuration has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const SECRET_VARS = new Set(['ADMIN_PASSWORD', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);

const printerTarget = z.string().transform((value, ctx): PrinterTarget => {
  if (value === 'sim') return { kind: 'sim' };
  const usb = /^usb:(\/dev\/\S+)$/.exec(value);
  if (usb?.[1] !== undefined) return { kind: 'usb', device: usb[1] };
  const tcp = /^tcp:\/\/([^:/\s]+)(?::(\d{1,5}))?\/?$/.exec(value);
  const port = Number(tcp?.[2] ?? 9100);
  if (tcp?.[1] !== undefined && port >= 1 && port <= 65535) return { kind: 'tcp', host: tcp[1], port };
  ctx.addIssue({ code: 'custom', message: 'must be "sim", "tcp://PRINTER-IP:9100" or "usb:/dev/usb/lp0"' });
  return z.NEVER;
});

const schema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 1 and 65535 (0 picks a free port)')
    .max(65535, 'must be between 1 and 65535 (0 picks a free port)')
    .default(8080),
  HOST: z
    .string()
    .refine((h) => h === 'localhost' || isIP(h) !== 0, 'must be an IP address such as 127.0.0.1')
    .default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  PUBLIC_URL: z
    .string()
    .superRefine((raw, ctx) => {
      for (const message of publicUrlProblems(raw)) ctx.addIssue({ code: 'custom', message });
    })
    .optional(),
  PRINTER: printerTarget.default({ kind: 'sim' }),
  GPIO: z.enum(['sim', 'onoff'], { message: 'must be "sim" or "onoff"' }).default('sim'),
  PAYMENTS: z.enum(['demo', 'stripe'], { message: 'must be "demo" or "stripe"' }).default('demo'),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters long').optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[\w+/=-]+$/, 'must be the signing secret of the Stripe webhook endpoint (whsec_…)')
    .optional(),
  DISK_RESERVE_MB: z.coerce
    .number({ message: 'must be a number of megabytes' })
    .int('must be a whole number of megabytes')
    .min(0, 'must be 0 or more (0 turns the reserve off)')
    .max(1_000_000, 'must be at most 1000000')
    .default(64),
  WEBHOOK_PRIVATE_RECEIVERS: z
    .string()
    .transform((raw) =>
      raw
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .superRefine((entries, ctx) => {
      const wrong = entries.filter((entry) => !isAddressRange(entry));
      if (wrong.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must list IP addresses or ranges such as 192.168.1.20, 127.0.0.1/32, fd00::/8 (not ${wrong.join(', ')})`,
        });
      }
    })
    .default([]),
  OPENAI_APPS_CHALLENGE: z
    .string()
    .regex(/^[\x21-\x7e]{1,512}$/, 'must be the token OpenAI shows for domain verification, without spaces')
    .optional(),
  THROTTLED_FILE: z
    .string()
    .startsWith('/', 'must be an absolute path')
    .default('/sys/devices/platform/soc/soc:firmware/get_throttled'),
  BACKUP_USB_DIR: z
    .string()
    .regex(/^\/./, 'must be an absolute path where a USB drive is mounted, such as /media/usb')
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

/** Reads `.env` from `cwd` when present; real environment variables win over the file. */
export function readEnvironment(env: NodeJS.ProcessEnv, cwd: string): Record<string, string | undefined> {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile, ...env };
  // An empty variable means "not set": `PORT= npm start` uses the default.
  for (const [key, value] of Object.entries(merged)) if (value === '') merged[key] = undefined;
  return merged;
}

/** Validates the environment and derives the config; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const result = schema.safeParse(env);
  const problems = (result.error?.issues ?? []).map((issue) => {
    const name = String(issue.path[0] ?? 'configuration');
    const value = env[name];
    const shown = value === undefined || SECRET_VARS.has(name) ? '' : ` (got "${value}")`;
    return `${name} ${issue.message}${shown}`;
  });
  if (env.PAYMENTS === 'stripe' && env.STRIPE_SECRET_KEY === undefined) {
    problems.push('STRIPE_SECRET_KEY is required when PAYMENTS=stripe');
  }
  if (env.PAYMENTS === 'stripe' && env.STRIPE_WEBHOOK_SECRET === undefined) {
    problems.push('STRIPE_WEBHOOK_SECRET is required when PAYMENTS=stripe');
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const e = result.data;
  const publicUrl = e.PUBLIC_URL === undefined ? `http://localhost:${e.PORT}` : new URL(e.PUBLIC_URL).origin;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(cwd, e.DATA_DIR),
    publicUrl,
    printer: e.PRINTER,
    gpio: e.GPIO,
    payments: e.PAYMENTS,
    adminPassword: e.ADMIN_PASSWORD,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    logLevel: e.LOG_LEVEL,
    diskReserveBytes: e.DISK_RESERVE_MB * 1024 * 1024,
    webhookPrivateReceivers: e.WEBHOOK_PRIVATE_RECEIVERS,
    openaiAppsChallenge: e.OPENAI_APPS_CHALLENGE,
    throttledFile: e.THROTTLED_FILE,
    backupUsbDir: e.BACKUP_USB_DIR,
  };
}

/** An IP address, or a network in CIDR notation (`10.0.0.0/8`, `fe80::/10`). */
function isAddressRange(entry: string): boolean {
  const [address = '', prefix, ...extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function publicUrlProblems(raw: string): string[] {
  if (!URL.canParse(raw)) return ['must be a full address such as https://shop.example.com'];
  const url = new URL(raw);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const problems: string[] = [];
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    problems.push('must start with https:// (assistants only connect to HTTPS addresses)');
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    problems.push('must be an origin only, without a path, query or user name');
  }
  return problems;
}
