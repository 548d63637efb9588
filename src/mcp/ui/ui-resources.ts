import type { McpServer } from '@modelcontextprotocol/server';
import { menuWidgetHtml } from './menu-widget.js';
import { orderWidgetHtml } from './order-widget.js';

/** The menu widget: renders `search_menu` (and `get_menu_item`) results. */
export const MENU_WIDGET_URI = 'ui://counterpi/menu.html';

/** The order widget: renders create_order, update_order, place_order and get_order_status results. */
export const ORDER_WIDGET_URI = 'ui://counterpi/order.html';

/** The MIME type of an MCP App HTML resource (SEP-1865 2026-01-26, "UI Resource Format"). */
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';

/**
 * The `_meta` a tool definition carries to be rendered by a widget: the standard `ui.resourceUri`
 * (SEP-1865 "Resource Discovery"), the flat `ui/resourceUri` that the spec deprecates but the reference
 * SDK's registerAppTool still writes for older hosts, and ChatGPT's `openai/outputTemplate` alias, which
 * ChatGPT still reads (developers.openai.com/apps-sdk/reference, tool descriptor `_meta`).
 */
export function uiToolMeta(uri: string) {
  return { ui: { resourceUri: uri }, 'ui/resourceUri': uri, 'openai/outputTemplate': uri };
}

/**
 * Resource `_meta.ui` (SEP-1865 "UI Resource Format"): the widgets talk only to the host, so no connect
 * domains, and load nothing, so no resource domains (images show only where the host approves them); the
 * host draws the border and background. No `ui.domain`: its format is each host's, and Claude refuses a
 * widget whose domain is not one of its own.
 */
const UI_META = { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } as const;

/**
 * ChatGPT's keys (developers.openai.com/apps-sdk/reference, resource `_meta`); its app review checks the
 * CSP against the domains the widgets really use:
 * - `openai/widgetDomain`, the alias of `ui.domain` ChatGPT still reads, is the shop's public origin.
 *   ChatGPT hosts widgets on an origin derived from the MCP server URL and keeps this value for "open in
 *   app" and link handling (developers.openai.com/plugins/guides/widget-origin-migration).
 * - `openai/widgetCSP`, the snake_case form: no connect or resource domains, as in `ui.csp`;
 *   `redirect_domains` (ChatGPT's list of link targets it opens without a warning) holds the shop's origin
 *   for the order widget, whose one link is the confirmation page; the menu widget opens no link.
 */
function chatGptMeta(origin: string, opensLinks: boolean) {
  const csp = { connect_domains: [], resource_domains: [] };
  return {
    'openai/widgetDomain': origin,
    'openai/widgetCSP': opensLinks ? { ...csp, redirect_domains: [origin] } : csp,
  };
}

const WIDGETS = [
  {
    name: 'counterpi-menu',
    uri: MENU_WIDGET_URI,
    title: 'Menu',
    description: 'Menu items as cards with an Add button that asks the assistant to add them to the order.',
    html: menuWidgetHtml(),
    opensLinks: false,
  },
  {
    name: 'counterpi-order',
    uri: ORDER_WIDGET_URI,
    title: 'Order',
    description: 'An order with its lines, totals, pickup time, problems and the confirm-and-pay link.',
    html: orderWidgetHtml(),
    opensLinks: true,
  },
] as const;

/**
 * Registers both widget resources (read by hosts through `resources/read`) on the MCP server, for the
 * shop at `publicUrl` (an origin, as the configuration gives it).
 */
export function registerUiResources(server: McpServer, publicUrl: string): void {
  const origin = new URL(publicUrl).origin;
  for (const widget of WIDGETS) {
    const meta = { ui: UI_META, ...chatGptMeta(origin, widget.opensLinks) };
    const config = {
      title: widget.title,
      description: widget.description,
      mimeType: MCP_APP_MIME_TYPE,
      _meta: meta,
    };
    server.registerResource(widget.name, widget.uri, config, () => ({
      contents: [{ uri: widget.uri, mimeType: MCP_APP_MIME_TYPE, text: widget.html, _meta: meta }],
    }));
  }
}
