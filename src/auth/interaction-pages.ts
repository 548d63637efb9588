import { escapeHtml, page } from '../http/html.js';

/** The shop the customer signs in to: its name heads both pages (settings have no logo yet). */
export interface ShopHeading {
  readonly name: string;
}

function shopLine(shop: ShopHeading): string {
  return `<p class="hint" style="font-weight:600;margin:0">${escapeHtml(shop.name)}</p>`;
}

/** What the sign-in form shows again after a mistake. */
export interface SignInFormState {
  readonly name?: string;
  readonly phone?: string;
  readonly errors?: readonly string[];
}

function hidden(csrf: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

function errorList(errors: readonly string[] | undefined): string {
  if (errors === undefined || errors.length === 0) return '';
  return `<div role="alert">${errors.map((e) => `<p class="error">${escapeHtml(e)}</p>`).join('')}</div>`;
}

/**
 * Sign-in: the customer's name and phone number. `returning` names the customer this browser is
 * already signed in as (when a client asks to sign in again); they may continue without retyping.
 */
export function signInPage(
  shop: ShopHeading,
  action: string,
  csrf: string,
  state: SignInFormState = {},
  returning?: string,
): string {
  const again =
    returning === undefined
      ? ''
      : `<form method="post" action="${escapeHtml(action)}">${hidden(csrf)}<input type="hidden" name="returning" value="1">
<button type="submit">Continue as ${escapeHtml(returning)}</button></form>
<p class="hint">Not you? Sign in with your own name and number:</p>`;
  return page(
    `Sign in to order from ${shop.name}`,
    `${shopLine(shop)}<h1>Sign in to order from ${escapeHtml(shop.name)}</h1>
<p class="hint">${escapeHtml(shop.name)} uses your name for the pickup ticket and your phone number if there is a problem with your order.</p>
${errorList(state.errors)}${again}
<form method="post" action="${escapeHtml(action)}">${hidden(csrf)}
<label for="name">Your name</label>
<input id="name" name="name" autocomplete="name" maxlength="80" required value="${escapeHtml(state.name ?? '')}">
<label for="phone">Phone number</label>
<input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required value="${escapeHtml(state.phone ?? '')}">
<p class="hint">As you usually dial it; a number from another country starts with + and its code.</p>
<button type="submit">Continue</button></form>`,
  );
}

/** What the consent page names: the client, where it will send the customer back, and what it may do. */
export interface ConsentView {
  readonly clientName: string;
  readonly redirectHost: string;
  readonly scopes: readonly string[];
}

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  'menu:read': 'see the menu and your orders',
  'order:write': 'place and change orders in your name',
};

/** Consent: allow or deny the client access to ordering. */
export function consentPage(
  shop: ShopHeading,
  allowAction: string,
  denyAction: string,
  csrf: string,
  view: ConsentView,
): string {
  const can = view.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return page(
    `Allow access · ${shop.name}`,
    `${shopLine(shop)}<h1>Allow ${escapeHtml(view.clientName)} to order for you?</h1>
<p>It orders from <strong>${escapeHtml(shop.name)}</strong> in your name.</p>
<p>After you answer you go back to <strong>${escapeHtml(view.redirectHost)}</strong>.</p>
${can === '' ? '' : `<p>It will be able to:</p><ul>${can}</ul>`}
<form method="post" action="${escapeHtml(allowAction)}">${hidden(csrf)}<button type="submit">Allow</button></form>
<form method="post" action="${escapeHtml(denyAction)}">${hidden(csrf)}<button type="submit" class="secondary">Deny</button></form>`,
  );
}

/** An interaction that cannot continue (expired, forged, or already finished). */
export function interactionProblemPage(message: string): string {
  return page('Sign-in problem', `<h1>Sign-in problem</h1><p class="error">${escapeHtml(message)}</p>`);
}

/** Over an attempt limit (HTTP 429): when to try again, in whole minutes. */
export function tooManyAttemptsPage(minutes: number): string {
  const wait = minutes <= 1 ? 'a minute' : `${minutes} minutes`;
  return page(
    'Too many attempts',
    `<h1>Too many attempts</h1><p class="error">Too many attempts, try again in ${escapeHtml(wait)}.</p>
<p class="hint">This page limits how often anyone can sign in, to keep customers' orders safe. Nothing you entered was saved.</p>`,
  );
}
