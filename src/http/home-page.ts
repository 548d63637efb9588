import type { Hono } from 'hono';
import QRCode from 'qrcode';
import type { AssistantReach } from '../services/shop/assistant-reach.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AppEnv } from './app.js';
import { escapeHtml, page } from './html.js';
import { PRIVACY_PATH, TERMS_PATH } from './legal-routes.js';

/** What the front page shows: the shop, how to order through an assistant, where the owner goes. */
export interface HomePageDeps {
  readonly shop: Pick<ShopService, 'info' | 'formatTime'>;
  readonly publicUrl: string;
  /** Whether assistants can reach the shop (src/services/shop/assistant-reach.ts). */
  readonly reach: () => AssistantReach;
}

function openingLine(deps: HomePageDeps): string {
  const info = deps.shop.info();
  if (info.openNow) return 'Open now: taking orders.';
  if (info.pausedByOwner) return 'Not taking orders right now.';
  return info.nextOpening === undefined
    ? 'Closed right now.'
    : `Closed right now; orders open again ${escapeHtml(deps.shop.formatTime(info.nextOpening))}.`;
}

async function homeBody(deps: HomePageDeps): Promise<string> {
  const info = deps.shop.info();
  const mcpUrl = `${deps.publicUrl}/mcp`;
  const svg = await QRCode.toString(mcpUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const qr = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const where = info.address === '' ? '' : ` at ${escapeHtml(info.address)}`;
  const notYet =
    deps.reach().tone === 'bad'
      ? '<p class="error">Ordering through assistants is not set up yet: the shop has no public address.</p>'
      : '';
  return `<h1>${escapeHtml(info.name)}</h1>
<p>Order from ${escapeHtml(info.name)} through the AI assistant you already use (ChatGPT, Claude or Le Chat), then pick it up${where}. ${openingLine(deps)}</p>
<h2>How to order</h2>
${notYet}
<ol>
<li>In your assistant, add a connector (a custom MCP server) with this address:
<input id="mcp-url" type="text" readonly value="${escapeHtml(mcpUrl)}" aria-label="Connector address"></li>
<li>Sign in with your name and phone number when the assistant asks.</li>
<li>Ask for the menu, order, and confirm the order on your phone.</li>
</ol>
<p class="hint">On a phone, scan this code to open the address:</p>
<img src="${qr}" alt="QR code of ${escapeHtml(mcpUrl)}" width="192" height="192" style="display:block;max-width:100%;height:auto">
<p class="hint">${info.phone === '' ? '' : `Questions about an order: call ${escapeHtml(info.phone)}. `}<a href="${TERMS_PATH}">Terms</a> · <a href="${PRIVACY_PATH}">Privacy</a></p>
<p><a href="/admin">Owner pages</a> (for the shop's staff: orders, menu, settings)</p>`;
}

/** `/`: what a person (not an assistant) sees at the shop's address. */
export function mountHomePage(app: Hono<AppEnv>, deps: HomePageDeps): void {
  app.get('/', async (c) => c.html(page(deps.shop.info().name, await homeBody(deps))));
}
