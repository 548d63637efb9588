import { crc32, deflateSync } from 'node:zlib';
import type { Hono } from 'hono';
import type { AppEnv } from './app.js';

/** Where the pages point their icon: an SVG for browsers that take one, `/favicon.ico` for the rest. */
export const FAVICON_SVG_PATH = '/favicon.svg';

/** A green tile with a white ticket on it: the shop's ordering device, drawn without any asset file. */
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#11aa55"/><rect x="9" y="6" width="14" height="20" rx="1.5" fill="#fff"/><rect x="12" y="11" width="8" height="2" fill="#11aa55"/><rect x="12" y="16" width="8" height="2" fill="#11aa55"/></svg>';

const SIZE = 32;

/** The same drawing as the SVG, pixel by pixel: green tile, rounded corners, white ticket, two lines. */
function pixel(x: number, y: number): readonly [number, number, number, number] {
  const corner = 7;
  const cx = Math.min(Math.max(x + 0.5, corner), SIZE - corner);
  const cy = Math.min(Math.max(y + 0.5, corner), SIZE - corner);
  if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > corner ** 2) return [0, 0, 0, 0];
  const onTicket = x >= 9 && x < 23 && y >= 6 && y < 26;
  const onLine = x >= 12 && x < 20 && (y === 11 || y === 12 || y === 16 || y === 17);
  return onTicket && !onLine ? [255, 255, 255, 255] : [0x11, 0xaa, 0x55, 255];
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 32×32 RGBA PNG of the icon (PNG spec: signature, IHDR, IDAT of filtered rows, IEND). */
function iconPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y += 1) {
    const at = y * (1 + SIZE * 4);
    for (let x = 0; x < SIZE; x += 1) rows.set(pixel(x, y), at + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO file holding the PNG: one directory entry (ICONDIR, ICONDIRENTRY, then the image). */
export function faviconIco(): Buffer {
  const png = iconPng();
  const dir = Buffer.alloc(22);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2);
  dir.writeUInt16LE(1, 4);
  dir.set([SIZE, SIZE, 0, 0], 6);
  dir.writeUInt16LE(1, 10);
  dir.writeUInt16LE(32, 12);
  dir.writeUInt32LE(png.length, 14);
  dir.writeUInt32LE(22, 18);
  return Buffer.concat([dir, png]);
}

/** `/favicon.ico` and `/favicon.svg`, made once at start-up and cached by browsers for a day. */
export function mountFavicon(app: Hono<AppEnv>): void {
  const ico = new Uint8Array(faviconIco());
  const headers = (type: string) => ({ 'content-type': type, 'cache-control': 'public, max-age=86400' });
  app.get('/favicon.ico', () => new Response(ico, { headers: headers('image/x-icon') }));
  app.get(FAVICON_SVG_PATH, () => new Response(SVG, { headers: headers('image/svg+xml') }));
}
