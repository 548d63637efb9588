import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { AppError } from '../domain/app-error.js';
import { ALLERGENS, DIETARY_TAGS } from '../domain/catalog.js';
import { READ_ONLY, titled } from '../http/tool-annotations.js';
import type { MenuSearchResult } from '../services/menu/menu-search.js';
import { menuItemDetailSchema, searchResultSchema, shopInfoSchema } from './output-schemas.js';
import { itemDetail, itemText, type MenuContext, searchResult, searchText } from './present-menu.js';
import { offersFor, offersText } from './present-offers.js';
import { shopInfoAnswer } from './present-shop-info.js';
import { currentOffers, customerOf, type ToolContext } from './tool-context.js';
import { ok, toolError } from './tool-result.js';

function menuContext(t: ToolContext): MenuContext {
  return {
    index: t.menu.index(),
    settings: t.shop.settings(),
    calendar: t.shop.calendar(),
    now: t.clock.now(),
  };
}

// Built once: the zod schemas serve every server and the menu fast path.
const GET_SHOP_INFO_TOOL = titled({
  title: 'Shop info',
  description:
    'Name, address, whether the shop is open now, today’s hours, the next opening (ordering_resumes_at: when orders are taken again, if known), pickup lead time, the next pickup slots (none while the shop is closed or has paused ordering), the currency, whether the shop delivers (fee, minimum order, postal codes served), and the shop’s offers and meal deals (the only discounts there are: never invent one), and this customer’s stamp card (stamps so far, and a reward that comes off the next order by itself). Call it first in a conversation, or when the customer asks about hours. Example: get_shop_info {}.',
  inputSchema: z.object({}),
  outputSchema: shopInfoSchema,
  annotations: READ_ONLY,
});

const SEARCH_MENU_TOOL = titled({
  title: 'Search the menu',
  description:
    'Find menu items by free text and filters. Typos, plurals and synonyms are understood ("chips" finds fries). Leave `query` empty to browse. Prices are in minor units of the shop currency (1095 = $10.95) with a display string. Use the item_id with get_menu_item to see options before ordering. Offers on now and meal deals that reach the items found are listed with them. Example: search_menu {"query": "cheeseburger"} or {"dietary": ["vegan"], "max_price": 1000}.',
  inputSchema: z.object({
    query: z.string().max(200).optional().describe('Free text: "burger", "something with chicken", "chips"'),
    category: z.string().max(64).optional().describe('A category id, e.g. "burgers", "drinks"'),
    dietary: z.array(z.enum(DIETARY_TAGS)).max(8).optional().describe('Every tag must apply'),
    exclude_allergens: z
      .array(z.enum(ALLERGENS))
      .max(14)
      .optional()
      .describe('Leave out items containing any of these'),
    max_price: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Highest unit price in minor units (1000 = $10.00)'),
    available_now: z.boolean().optional().describe('true: only items that can be ordered right now'),
    limit: z.number().int().min(1).max(50).optional().describe('Results per page, default 10'),
    cursor: z.string().max(200).optional().describe('next_cursor from the previous page'),
  }),
  outputSchema: searchResultSchema,
  annotations: READ_ONLY,
});

const GET_MENU_ITEM_TOOL = titled({
  title: 'Menu item and its options',
  description:
    'One item with its option groups: each group says how many options to choose (min/max) and each option its extra price in minor units. Call it before create_order for any item that has_options, and pass the chosen option_ids. Example: get_menu_item {"item_id": "cheeseburger"}.',
  inputSchema: z.object({
    item_id: z.string().min(1).max(64).describe('From search_menu, e.g. "cheeseburger"'),
  }),
  outputSchema: menuItemDetailSchema,
  annotations: READ_ONLY,
});

/** A search page with the offers that concern its items (they follow the clock, not the page cache). */
function withOffers(
  t: ToolContext,
  answer: CallToolResult,
  structured: Record<string, unknown>,
): CallToolResult {
  const { current, shown } = currentOffers(t);
  const ids = ((structured.items ?? []) as { item_id: string }[]).map((i) => i.item_id);
  const near = offersFor(shown, ids, current, t.menu.index());
  if (near.offers.length === 0 && near.meal_deals.length === 0) {
    return { content: answer.content, structuredContent: structured };
  }
  const text = `${offersText(near)}\nOnly these offers exist; never promise another discount.`;
  return {
    content: [...answer.content, { type: 'text', text }],
    structuredContent: { ...structured, ...near },
  };
}

/** A search page as presented, and what its presentation depended on. */
interface PresentedPage {
  readonly minute: number;
  readonly ctx: MenuContext;
  readonly content: CallToolResult['content'];
  readonly structured: Record<string, unknown>;
}

const MINUTE_MS = 60_000;

/** The read-only menu tools as plain functions, so the MCP server and the hot path run the same code. */
export function menuToolHandlers(t: ToolContext) {
  // The search keeps result pages per menu snapshot; their presentation (prices formatted, available
  // now or not) holds until the minute, the settings or the menu change: dayparts are whole minutes.
  const presented = new WeakMap<MenuSearchResult, PresentedPage>();
  return {
    async get_shop_info(_args: unknown, subject?: string): Promise<CallToolResult> {
      try {
        const { text, structured } = shopInfoAnswer(t, subject);
        return ok(text, structured);
      } catch (error) {
        return toolError(error, t.log);
      }
    },
    async search_menu(args: z.infer<typeof SEARCH_MENU_TOOL.inputSchema>): Promise<CallToolResult> {
      try {
        const result = t.menuSearch.search({
          text: args.query,
          categoryId: args.category,
          dietary: args.dietary,
          excludeAllergens: args.exclude_allergens,
          maxPrice: args.max_price,
          availableNow:
            args.available_now === true
              ? { now: t.clock.now(), timezone: t.shop.calendar().timezone }
              : undefined,
          limit: args.limit,
          cursor: args.cursor,
        });
        const ctx = menuContext(t);
        const minute = Math.floor(ctx.now.getTime() / MINUTE_MS);
        const seen = presented.get(result);
        if (
          seen !== undefined &&
          seen.minute === minute &&
          seen.ctx.index === ctx.index &&
          seen.ctx.settings === ctx.settings &&
          seen.ctx.calendar === ctx.calendar
        ) {
          return withOffers(t, { content: seen.content }, seen.structured);
        }
        const structured = searchResult(result, ctx);
        const answer = ok(searchText(structured, args.query), structured);
        presented.set(result, { minute, ctx, content: answer.content, structured });
        return withOffers(t, answer, structured);
      } catch (error) {
        return toolError(error, t.log);
      }
    },
    async get_menu_item(args: z.infer<typeof GET_MENU_ITEM_TOOL.inputSchema>): Promise<CallToolResult> {
      try {
        const ctx = menuContext(t);
        const item = ctx.index.items.get(args.item_id);
        if (item === undefined) {
          const similar = t.menuSearch.search({ text: args.item_id.replaceAll('-', ' '), limit: 3 }).items;
          const hint =
            similar.length > 0
              ? ` Did you mean ${similar.map((h) => `${h.item.name} (${h.item.id})`).join(', ')}?`
              : '';
          const message = `There is no menu item "${args.item_id}".${hint} Use search_menu to find item ids.`;
          return toolError(new AppError('item_not_found', message), t.log);
        }
        const structured = itemDetail(item, ctx);
        return ok(itemText(structured), structured);
      } catch (error) {
        return toolError(error, t.log);
      }
    },
  };
}

/** The definitions (schemas, descriptions, annotations) of the read-only menu tools, by name. */
export const MENU_TOOLS = {
  get_shop_info: GET_SHOP_INFO_TOOL,
  search_menu: SEARCH_MENU_TOOL,
  get_menu_item: GET_MENU_ITEM_TOOL,
} as const;

/** get_shop_info, search_menu and get_menu_item: reading the shop and its menu. */
export function registerMenuTools(
  server: McpServer,
  t: ToolContext,
  ui: { menuMeta: Record<string, unknown> },
): void {
  const run = menuToolHandlers(t);
  server.registerTool('get_shop_info', GET_SHOP_INFO_TOOL, (args, ctx) =>
    run.get_shop_info(args, customerOf(ctx).subject),
  );
  server.registerTool('search_menu', { ...SEARCH_MENU_TOOL, _meta: ui.menuMeta }, (args) =>
    run.search_menu(args),
  );
  server.registerTool('get_menu_item', GET_MENU_ITEM_TOOL, (args) => run.get_menu_item(args));
}
