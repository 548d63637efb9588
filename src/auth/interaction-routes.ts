import type { Context, Hono } from 'hono';
import type { InteractionResults, Provider } from 'oidc-provider';
import { countryOfLocale } from '../domain/phone.js';
import type { AppEnv } from '../http/app.js';
import { clientAddress, createRateLimiter, type RateLimit } from '../http/rate-limit.js';
import { readFormBody } from '../http/read-form.js';
import type { Clock } from '../platform/clock.js';
import type { CustomerService } from '../services/orders/customer-service.js';
import type { Csrf } from './csrf.js';
import { consentPage, interactionProblemPage, signInPage, tooManyAttemptsPage } from './interaction-pages.js';
import { MCP_SCOPES } from './mcp-resource.js';
import { nodeBindings, pinForwarding } from './node-bindings.js';
import { INTERACTION_PATH } from './provider-configuration.js';
import { parseSignIn } from './sign-in-form.js';

/** What the sign-in and consent pages need. */
export interface InteractionRoutesDeps {
  readonly provider: Provider;
  readonly publicUrl: string;
  readonly customers: CustomerService;
  /** The shop's name heads the pages; its locale's country reads national phone numbers. */
  readonly shop: () => { readonly name: string; readonly locale: string };
  readonly csrf: Csrf;
  /** Time for the attempt limits. */
  readonly clock: Clock;
}

const MINUTE_MS = 60_000;

/**
 * The sign-in and consent pages' limits. Per address, every posted form counts: generous, because a
 * shop's Wi-Fi puts many customers behind one address. Per phone number, each sign-in counts, so
 * one number cannot be spammed from many addresses.
 */
export const INTERACTION_LIMITS = {
  perAddress: { limit: 30, windowMs: 10 * MINUTE_MS },
  perPhone: { limit: 5, windowMs: 60 * MINUTE_MS },
} as const satisfies Record<string, RateLimit>;

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const EXPIRED =
  'This sign-in page has expired or was already used. Go back to your assistant and connect again.';

/** Registers the customer sign-in and consent pages; call before the provider's /oauth catch-all. */
export function mountInteractionRoutes(app: Hono<AppEnv>, deps: InteractionRoutesDeps): void {
  const { provider, csrf, customers } = deps;
  const steps = interactionSteps(deps);
  const byPhone = createRateLimiter({ clock: deps.clock, rule: INTERACTION_LIMITS.perPhone });

  app.get(`${INTERACTION_PATH}/:uid`, async (c) => {
    const i = await steps.details(c);
    if (i === undefined || i.uid !== c.req.param('uid')) return problem(c, 400, EXPIRED);
    c.header('Cache-Control', 'no-store');
    const base = `${INTERACTION_PATH}/${i.uid}`;
    if (i.prompt.name === 'login') {
      const again = returningCustomer(customers, i);
      return c.html(signInPage(deps.shop(), `${base}/login`, csrf.token(i.uid), {}, again?.label));
    }
    const view = await consentView(provider, i);
    return c.html(consentPage(deps.shop(), `${base}/consent`, `${base}/abort`, csrf.token(i.uid), view));
  });

  app.post(`${INTERACTION_PATH}/:uid/login`, async (c) => {
    const p = await steps.posted(c, 'login');
    if ('error' in p) return p.error;
    const again = returningCustomer(customers, p.i);
    // Only this browser's own session names a returning customer, never a phone number typed into the form.
    if (p.form.returning !== undefined && again !== undefined) {
      return steps.finish(c, { login: { accountId: again.subject, remember: true } }, false);
    }
    const shop = deps.shop();
    const parsed = parseSignIn(p.form, countryOfLocale(shop.locale));
    if (!parsed.ok) {
      const state = {
        name: String(p.form.name ?? ''),
        phone: String(p.form.phone ?? ''),
        errors: parsed.errors,
      };
      return c.html(signInPage(shop, c.req.path, csrf.token(p.i.uid), state, again?.label), 400);
    }
    const wait = byPhone.take(parsed.value.phone);
    if (wait !== undefined) return tooMany(c, wait);
    const customer = customers.register(parsed.value.name, parsed.value.phone);
    return steps.finish(c, { login: { accountId: customer.subject, remember: true } }, false);
  });

  app.post(`${INTERACTION_PATH}/:uid/consent`, async (c) => {
    const p = await steps.posted(c, 'consent');
    if ('error' in p) return p.error;
    return steps.finish(c, { consent: { grantId: await saveGrant(provider, p.i) } }, true);
  });

  app.post(`${INTERACTION_PATH}/:uid/abort`, async (c) => {
    const p = await steps.posted(c);
    if ('error' in p) return p.error;
    return steps.finish(c, { error: 'access_denied', error_description: 'The customer declined.' }, false);
  });
}

/** Reading an interaction, accepting a posted form (within the per-address limit), and finishing. */
function interactionSteps(deps: InteractionRoutesDeps) {
  const { provider, csrf } = deps;
  const pub = new URL(deps.publicUrl);
  const byAddress = createRateLimiter({ clock: deps.clock, rule: INTERACTION_LIMITS.perAddress });

  const details = async (c: Context<AppEnv>): Promise<Interaction | undefined> => {
    const { incoming, outgoing } = nodeBindings(c);
    pinForwarding(incoming, pub);
    return provider.interactionDetails(incoming, outgoing).catch(() => undefined);
  };
  const finish = async (c: Context<AppEnv>, result: InteractionResults, merge: boolean) => {
    const { incoming, outgoing } = nodeBindings(c);
    const to = await provider.interactionResult(incoming, outgoing, result, {
      mergeWithLastSubmission: merge,
    });
    return c.redirect(to, 303);
  };
  /** The interaction and its form, when the sender is within its limit, the CSRF token right, the prompt expected. */
  const posted = async (c: Context<AppEnv>, prompt?: string) => {
    // Counted before anything is looked up, so forged and expired posts use up attempts too.
    const wait = byAddress.take(addressOf(c));
    if (wait !== undefined) return { error: tooMany(c, wait) };
    const i = await details(c);
    const form = await readFormBody(c);
    if (i === undefined || i.uid !== c.req.param('uid')) return { error: problem(c, 400, EXPIRED) };
    if (!csrf.valid(i.uid, form.csrf) || (prompt !== undefined && i.prompt.name !== prompt)) {
      return { error: problem(c, 403, 'This form could not be accepted. Reload the page and try again.') };
    }
    return { i, form };
  };
  return { details, finish, posted };
}

function problem(c: Context<AppEnv>, status: 400 | 403, message: string) {
  c.header('Cache-Control', 'no-store');
  return c.html(interactionProblemPage(message), status);
}

function tooMany(c: Context<AppEnv>, seconds: number) {
  c.header('Retry-After', String(seconds));
  c.header('Cache-Control', 'no-store');
  return c.html(tooManyAttemptsPage(Math.ceil(seconds / 60)), 429);
}

/** The sender's address; read before pinForwarding rewrites X-Forwarded-For for the provider. */
function addressOf(c: Context<AppEnv>): string {
  const { incoming } = nodeBindings(c);
  return clientAddress(incoming.socket.remoteAddress, (name) => {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  });
}

/** The customer this browser's sign-in session already names, when the provider asks to sign in again. */
function returningCustomer(
  customers: CustomerService,
  i: Interaction,
): { subject: string; label: string } | undefined {
  const subject = i.session?.accountId;
  const customer = subject === undefined ? undefined : customers.bySubject(subject);
  if (customer === undefined) return undefined;
  return { subject: customer.subject, label: customer.name ?? customer.phone ?? 'your last sign-in' };
}

async function consentView(provider: Provider, i: Interaction) {
  const client = await provider.Client.find(String(i.params.client_id));
  const missing = (i.prompt.details.missingResourceScopes ?? {}) as Record<string, string[]>;
  const scopes = [...new Set(Object.values(missing).flat())];
  // A native client is asked again with nothing new to grant (RFC 8252 §8.6): name what it asks for.
  const asked = String(i.params.scope ?? '').split(' ');
  return {
    clientName: client?.clientName ?? String(i.params.client_id),
    redirectHost: URL.parse(String(i.params.redirect_uri))?.host ?? 'an unknown address',
    scopes: scopes.length > 0 ? scopes : MCP_SCOPES.filter((s) => asked.includes(s)),
  };
}

/** Grants what the consent prompt asked for, extending an earlier grant of the same client. */
async function saveGrant(provider: Provider, i: Interaction): Promise<string> {
  const accountId = i.session?.accountId ?? '';
  const clientId = String(i.params.client_id);
  const earlier = i.grantId === undefined ? undefined : await provider.Grant.find(i.grantId);
  const grant = earlier ?? new provider.Grant({ accountId, clientId });
  const d = i.prompt.details;
  if (Array.isArray(d.missingOIDCScope)) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  if (Array.isArray(d.missingOIDCClaims)) grant.addOIDCClaims(d.missingOIDCClaims as string[]);
  const missing = (d.missingResourceScopes ?? {}) as Record<string, string[]>;
  for (const [resource, scopes] of Object.entries(missing))
    grant.addResourceScope(resource, scopes.join(' '));
  return grant.save();
}
