import { randomUUID } from 'node:crypto';
import type { ToolAnswer } from './mcp-answer.js';
import { assistant } from './mcp-caller.js';
import type { OwnerBrowser } from './owner-browser.js';
import type { TestApp } from './start-app.js';

/** A small menu as a shop writes it in a spreadsheet: a category, a size group, two bowls. */
export const BOWLS_CSV = [
  'kind,id,parent,name,description,price,sold_out,dietary,allergens,groups,selection,min,max',
  'category,bowls,,Bowls,,,,,,,,,',
  'group,bowl-size,,Size,,,,,,,single,1,1',
  'option,bowl-regular,bowl-size,Regular,,0,no,,,,,,',
  'option,bowl-large,bowl-size,Large,,2.00,no,,,,,,',
  'item,poke-bowl,bowls,Poke Bowl,"Salmon, rice, edamame",13.50,no,,fish|soy,bowl-size,,,',
  'item,tofu-bowl,bowls,Tofu Bowl,Crispy tofu and greens,11.00,no,vegan,soy,bowl-size,,,',
  '',
].join('\r\n');

/** BOWLS_CSV with a price (row 6) and a dietary tag (row 7) that cannot be read. */
export const BROKEN_BOWLS_CSV = BOWLS_CSV.replace('13.50', '13.5O').replace(',vegan,', ',vegn,');

/**
 * create_order for one unit of an item, by a new customer each time (a customer has one open order at
 * a time).
 */
export async function orderOnce(t: TestApp, itemId: string, optionIds: string[] = []): Promise<ToolAnswer> {
  const customer = `guest-${randomUUID().slice(0, 8)}`;
  const { call, close } = await assistant(t, customer);
  try {
    return await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: itemId, quantity: 1, option_ids: optionIds }],
      customer_name: 'Guest Tester',
      customer_phone: '+15555550123',
    });
  } finally {
    await close();
  }
}

/**
 * Posts a menu file as a browser does (multipart, with the file), in the owner's session: to the Menu
 * page's import unless told another form (onboarding's menu step) and its other fields.
 */
export async function uploadMenu(
  t: TestApp,
  owner: OwnerBrowser,
  file: { readonly name: string; readonly text: string },
  csrf: string | undefined,
  to: { readonly path: string; readonly fields: Readonly<Record<string, string>> } = {
    path: '/admin/menu/import',
    fields: {},
  },
): Promise<{ status: number; text: string; location: string | null }> {
  const form = new FormData();
  if (csrf !== undefined) form.set('csrf', csrf);
  for (const [name, value] of Object.entries(to.fields)) form.set(name, value);
  form.set('file', new File([file.text], file.name, { type: 'text/csv' }));
  const res = await fetch(`${t.url}${to.path}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: [...owner.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  // Keep the flash cookie the answer sets, as the browser would.
  for (const cookie of res.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';');
    const at = pair.indexOf('=');
    owner.jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}
