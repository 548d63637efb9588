import { isIP } from 'node:net';
import { z } from 'zod';
import type { PrinterTarget } from '../config/config.js';

/** A host name or an IP address, as a shop's network printer is found. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** A device node such as /dev/usb/lp0: no `..`, nothing but path characters. */
const DEVICE = /^\/dev\/(?!.*\.\.)[A-Za-z0-9_./-]{1,100}$/;

const choiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sim') }),
  z.object({
    kind: z.literal('tcp'),
    host: z.string().refine((h) => HOST_NAME.test(h) || isIP(h) !== 0, 'a printer address like 192.168.1.50'),
    port: z.number().int().min(1).max(65535),
  }),
  z.object({ kind: z.literal('usb'), device: z.string().regex(DEVICE, 'a device like /dev/usb/lp0') }),
]);

/** The stored printer choice (owner_account.printer), or undefined when there is none or it is damaged. */
export function parsePrinterChoice(json: string | undefined): PrinterTarget | undefined {
  if (json === undefined) return undefined;
  try {
    const parsed = choiceSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The choice as stored. */
export function printerChoiceJson(target: PrinterTarget): string {
  return JSON.stringify(target);
}

/** The owner's printer form: `kind`, and `host` + `port` or `device`; errors are sentences for the owner. */
export function parsePrinterForm(
  form: Record<string, unknown>,
): { ok: true; value: PrinterTarget } | { ok: false; errors: string[] } {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const kind = text('kind');
  if (kind === 'sim') return { ok: true, value: { kind: 'sim' } };
  if (kind === 'tcp') {
    const portText = text('port') === '' ? '9100' : text('port');
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    const parsed = choiceSchema.safeParse({ kind, host: text('host'), port });
    if (parsed.success) return { ok: true, value: parsed.data };
    const errors: string[] = [];
    if (parsed.error.issues.some((i) => i.path[0] === 'host'))
      errors.push("Enter the network printer's address, like 192.168.1.50.");
    if (parsed.error.issues.some((i) => i.path[0] === 'port'))
      errors.push('The port is a number from 1 to 65535 (most receipt printers use 9100).');
    return { ok: false, errors };
  }
  if (kind === 'usb') {
    const parsed = choiceSchema.safeParse({ kind, device: text('device') });
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, errors: ['Enter the USB printer device, like /dev/usb/lp0.'] };
  }
  return { ok: false, errors: ['Choose where the kitchen printer is.'] };
}

/** The choice as the owner reads it: "Simulated", "Network printer 192.168.1.50:9100", "USB /dev/usb/lp0". */
export function describePrinter(target: PrinterTarget): string {
  if (target.kind === 'tcp') return `Network printer ${target.host}:${target.port}`;
  if (target.kind === 'usb') return `USB printer ${target.device}`;
  return 'no printer yet (tickets are saved as files on this device)';
}
