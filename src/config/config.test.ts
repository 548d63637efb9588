import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';

const tempDir = tempDirs();

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs the demo shop with no variables at all', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/data',
      publicUrl: 'http://localhost:8080',
      printer: { kind: 'sim' },
      gpio: 'sim',
      payments: 'demo',
      adminPassword: undefined,
      stripeSecretKey: undefined,
      logLevel: 'info',
      diskReserveBytes: 64 * 1024 * 1024,
      webhookPrivateReceivers: [],
      openaiAppsChallenge: undefined,
      throttledFile: '/sys/devices/platform/soc/soc:firmware/get_throttled',
      backupUsbDir: undefined,
    });
  });

  it('reads the firmware’s throttling flags from THROTTLED_FILE, an absolute path', () => {
    expect(loadConfig({ THROTTLED_FILE: '/tmp/get_throttled' }).throttledFile).toBe('/tmp/get_throttled');
    expect(problemsOf({ THROTTLED_FILE: 'get_throttled' })).toEqual([
      'THROTTLED_FILE must be an absolute path (got "get_throttled")',
    ]);
  });

  it('takes the mount path of a backup USB drive only as an absolute path', () => {
    expect(loadConfig({ BACKUP_USB_DIR: '/media/usb' }).backupUsbDir).toBe('/media/usb');
    expect(problemsOf({ BACKUP_USB_DIR: 'media/usb' })).toEqual([
      'BACKUP_USB_DIR must be an absolute path where a USB drive is mounted, such as /media/usb (got "media/usb")',
    ]);
  });

  it('takes the domain-verification token of ChatGPT’s app submission as it is, and names a wrong one', () => {
    const token = 'oai_Zx9-4kP.q_81';
    expect(loadConfig({ OPENAI_APPS_CHALLENGE: token }).openaiAppsChallenge).toBe(token);
    expect(problemsOf({ OPENAI_APPS_CHALLENGE: 'two words' })).toEqual([
      'OPENAI_APPS_CHALLENGE must be the token OpenAI shows for domain verification, without spaces (got "two words")',
    ]);
  });

  it('takes the private webhook receivers an operator allows, and names a wrong entry', () => {
    expect(
      loadConfig({ WEBHOOK_PRIVATE_RECEIVERS: ' 192.168.1.20, 127.0.0.1/32,fd00::/8 ,' })
        .webhookPrivateReceivers,
    ).toEqual(['192.168.1.20', '127.0.0.1/32', 'fd00::/8']);
    expect(problemsOf({ WEBHOOK_PRIVATE_RECEIVERS: '10.0.0.0/33,printer.local,::1' })).toEqual([
      'WEBHOOK_PRIVATE_RECEIVERS must list IP addresses or ranges such as 192.168.1.20, 127.0.0.1/32, fd00::/8 (not 10.0.0.0/33, printer.local) (got "10.0.0.0/33,printer.local,::1")',
    ]);
  });

  it('parses printers, a public URL with a trailing slash and a custom port', () => {
    const config = loadConfig(
      { PORT: '9000', PUBLIC_URL: 'https://burgers.example.com/', PRINTER: 'tcp://192.168.1.50' },
      '/srv',
    );
    expect(config.publicUrl).toBe('https://burgers.example.com');
    expect(config.printer).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(loadConfig({ PRINTER: 'usb:/dev/usb/lp0' }).printer).toEqual({
      kind: 'usb',
      device: '/dev/usb/lp0',
    });
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
  });

  it('lists every problem at once, in words an owner understands', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      HOST: 'my shop',
      PUBLIC_URL: 'http://burgers.example.com/mcp',
      PRINTER: 'lpt1',
      GPIO: 'yes',
      PAYMENTS: 'stripe',
      ADMIN_PASSWORD: 'short',
      LOG_LEVEL: 'loud',
      DISK_RESERVE_MB: '-5',
    });
    expect(problems).toEqual([
      'PORT must be a port number (got "eighty")',
      'HOST must be an IP address such as 127.0.0.1 (got "my shop")',
      'PUBLIC_URL must start with https:// (assistants only connect to HTTPS addresses) (got "http://burgers.example.com/mcp")',
      'PUBLIC_URL must be an origin only, without a path, query or user name (got "http://burgers.example.com/mcp")',
      'PRINTER must be "sim", "tcp://PRINTER-IP:9100" or "usb:/dev/usb/lp0" (got "lpt1")',
      'GPIO must be "sim" or "onoff" (got "yes")',
      'ADMIN_PASSWORD must be at least 10 characters long',
      'DISK_RESERVE_MB must be 0 or more (0 turns the reserve off) (got "-5")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'STRIPE_SECRET_KEY is required when PAYMENTS=stripe',
      'STRIPE_WEBHOOK_SECRET is required when PAYMENTS=stripe',
    ]);
  });

  it('checks the public URL and cross-field rules, and never echoes a secret', () => {
    expect(problemsOf({ PUBLIC_URL: 'http://burgers.example.com/mcp' })).toEqual([
      'PUBLIC_URL must start with https:// (assistants only connect to HTTPS addresses) (got "http://burgers.example.com/mcp")',
      'PUBLIC_URL must be an origin only, without a path, query or user name (got "http://burgers.example.com/mcp")',
    ]);
    expect(problemsOf({ PAYMENTS: 'stripe' })).toEqual([
      'STRIPE_SECRET_KEY is required when PAYMENTS=stripe',
      'STRIPE_WEBHOOK_SECRET is required when PAYMENTS=stripe',
    ]);
    const short = problemsOf({ ADMIN_PASSWORD: 'hunter2' });
    expect(short).toEqual(['ADMIN_PASSWORD must be at least 10 characters long']);
    expect(short.join()).not.toContain('hunter2');
  });

  it('reads .env, with real variables winning and empty ones meaning unset', () => {
    const dir = tempDir('counterpi-env-');
    writeFileSync(join(dir, '.env'), 'PORT=9100\nGPIO=onoff\n# a comment\nPRINTER="tcp://10.0.0.9:9100"\n');
    const env = readEnvironment({ GPIO: 'sim', HOST: '' }, dir);
    const config = loadConfig(env, dir);
    expect(config.port).toBe(9100);
    expect(config.gpio).toBe('sim');
    expect(config.host).toBe('127.0.0.1');
    expect(config.printer).toEqual({ kind: 'tcp', host: '10.0.0.9', port: 9100 });
  });
});
