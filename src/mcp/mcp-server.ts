import { McpServer } from '@modelcontextprotocol/server';
import type { ToolContext } from './tool-context.js';
import { registerMenuTools } from './tools-menu.js';
import { registerOrderTools } from './tools-order.js';
import { MENU_WIDGET_URI, ORDER_WIDGET_URI, registerUiResources, uiToolMeta } from './ui/ui-resources.js';

/** Guidance every client shows its model before the first tool call. */
function instructions(shopName: string): string {
  return [
    `You are helping a customer order food from ${shopName}, for pickup or, when get_shop_info says the shop delivers, for delivery (create_order/update_order with delivery_address).`,
    'Flow: get_shop_info → search_menu → get_menu_item (for items with options) → create_order → update_order as the customer changes their mind → read back the total → place_order → give the customer the confirmation link to confirm and pay on their phone → get_order_status.',
    'Prices are integers in minor units of the shop currency (1095 = $10.95); show the display strings to people.',
    'Use a new idempotency_key for every new action and the same one only to retry the same call.',
    'Never invent item or option ids: take them from search_menu and get_menu_item.',
  ].join('\n');
}

/** Builds an MCP server with every tool; each call names its customer through the request's auth info. */
export function createCounterpiMcpServer(t: ToolContext, version: string): McpServer {
  const server = new McpServer(
    { name: 'counterpi', title: t.shop.settings().profile.name, version },
    {
      instructions: instructions(t.shop.settings().profile.name),
      // The tool and resource lists are fixed, so no list-changed notifications will ever come.
      capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
    },
  );
  registerMenuTools(server, t, { menuMeta: uiToolMeta(MENU_WIDGET_URI) });
  registerOrderTools(server, t, { orderMeta: uiToolMeta(ORDER_WIDGET_URI) });
  registerUiResources(server, t.publicUrl);
  return server;
}
