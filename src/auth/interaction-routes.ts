import type { Context, Hono } from 'hono';
import type { InteractionResults, Provider } from 'oidc-provider';
import type { AppEnv } from '../http/app.js';
import type { CustomerService } from '../services/customer-service.js';
import type { Csrf } from './csrf.js';
import { consentPage, interactionProblemPage, signInPage } from './interaction-pages.js';
import { nodeBindings, pinForwarding } from './node-bindings.js';
import { INTERACTION_PATH } from './provider-configuration.js';
import { parseSignIn } from './sign-in-form.js';

/** What the sign-in and consent pages need. */
export interface InteractionRoutesDeps {
  readonly provider: Provider;
  readonly publicUrl: string;
  readonly customers: CustomerService;
  readonly csrf: Csrf;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const EXPIRED =
  'This sign-in page has expired or was already used. Go back to your assistant and connect again.';

/** Registers the customer sign-in and consent pages; call before the provider's /oauth catch-all. */
export function mountInteractionRoutes(app: Hono<AppEnv>, deps: InteractionRoutesDeps): void {
  const { provider, csrf } = deps;
  const pub = new URL(deps.publicUrl);

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
  const problem = (c: Context<AppEnv>, status: 400 | 403, message: string) => {
    c.header('Cache-Control', 'no-store');
    return c.html(interactionProblemPage(message), status);
  };
  /** The interaction and its form, when the CSRF token is right and the prompt is the expected one. */
  const posted = async (c: Context<AppEnv>, prompt?: string) => {
    const i = await details(c);
    const form = await c.req.parseBody();
    if (i === undefined || i.uid !== c.req.param('uid')) return { error: problem(c, 400, EXPIRED) };
    if (!csrf.valid(i.uid, form.csrf) || (prompt !== undefined && i.prompt.name !== prompt)) {
      return { error: problem(c, 403, 'This form could not be accepted. Reload the page and try again.') };
    }
    return { i, form };
  };

  app.get(`${INTERACTION_PATH}/:uid`, async (c) => {
    const i = await details(c);
    if (i === undefined || i.uid !== c.req.param('uid')) return problem(c, 400, EXPIRED);
    c.header('Cache-Control', 'no-store');
    const base = `${INTERACTION_PATH}/${i.uid}`;
    if (i.prompt.name === 'login') return c.html(signInPage(`${base}/login`, csrf.token(i.uid)));
    return c.html(
      consentPage(`${base}/consent`, `${base}/abort`, csrf.token(i.uid), await consentView(provider, i)),
    );
  });

  app.post(`${INTERACTION_PATH}/:uid/login`, async (c) => {
    const p = await posted(c, 'login');
    if ('error' in p) return p.error;
    const parsed = parseSignIn(p.form);
    if (!parsed.ok) {
      const state = {
        name: String(p.form.name ?? ''),
        phone: String(p.form.phone ?? ''),
        errors: parsed.errors,
      };
      return c.html(signInPage(c.req.path, csrf.token(p.i.uid), state), 400);
    }
    const customer = deps.customers.register(parsed.value.name, parsed.value.phone);
    return finish(c, { login: { accountId: customer.subject, remember: true } }, false);
  });

  app.post(`${INTERACTION_PATH}/:uid/consent`, async (c) => {
    const p = await posted(c, 'consent');
    if ('error' in p) return p.error;
    return finish(c, { consent: { grantId: await saveGrant(provider, p.i) } }, true);
  });

  app.post(`${INTERACTION_PATH}/:uid/abort`, async (c) => {
    const p = await posted(c);
    if ('error' in p) return p.error;
    return finish(c, { error: 'access_denied', error_description: 'The customer declined.' }, false);
  });
}

async function consentView(provider: Provider, i: Interaction) {
  const client = await provider.Client.find(String(i.params.client_id));
  const missing = (i.prompt.details.missingResourceScopes ?? {}) as Record<string, string[]>;
  return {
    clientName: client?.clientName ?? String(i.params.client_id),
    redirectHost: URL.parse(String(i.params.redirect_uri))?.host ?? 'an unknown address',
    scopes: [...new Set(Object.values(missing).flat())],
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
