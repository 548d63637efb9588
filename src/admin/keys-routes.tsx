import type { Context } from 'hono';
import { isAppError } from '../domain/app-error.js';
import { type ListedOwnerToken, shortTokenId } from '../domain/owner-token.js';
import type { Clock } from '../platform/clock.js';
import type { AcpKeys } from '../services/checkout/acp-keys.js';
import type { WebhookEndpoints } from '../services/webhooks/webhook-endpoints.js';
import type { AdminEnv, AdminModule, AdminRouter, AdminShell } from './admin-shell.js';
import { CopyField } from './form-fields.js';
import { readForm } from './form-read.js';
import { type KeysPageState, keysBody, shownOnceBody } from './keys-views.js';

/** What the owner asked a token for, checked. */
interface TokenRequest {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly days: number;
}

/**
 * The customer tokens the owner issues (src/auth/owner-tokens.ts createOwnerTokens): checked, signed and
 * recorded in the ledger `/mcp` checks, so a revocation here takes effect at once.
 */
export interface OwnerTokens {
  /** Every scope a token may carry, `menu:read` first. */
  readonly scopes: readonly string[];
  /** Where a token is sent: the MCP endpoint. */
  readonly resource: string;
  /** Throws `invalid_input` listing each problem by option (`--name`, `--days`, `--scope`). */
  parse(input: { name: string; days: string; scope: string }): TokenRequest;
  issue(request: TokenRequest): Promise<{ token: string; jti: string; expiresAt: Date }>;
  list(): ListedOwnerToken[];
  revoke(jti: string, nowMs: number): boolean;
}

export interface KeysPageDeps {
  /** The instance the ACP routes verify with: a revocation here takes effect at once. */
  readonly acpKeys: Pick<AcpKeys, 'create' | 'list' | 'revoke'>;
  readonly tokens: OwnerTokens;
  readonly webhooks: WebhookEndpoints;
  readonly publicUrl: string;
  readonly clock: Clock;
  /** An instant in the shop's time zone and locale. */
  readonly formatTime: (instant: Date) => string;
}

/** The keys page: ACP API keys, customer tokens and webhook endpoints; secrets are shown once. */
export function keysModule(deps: KeysPageDeps): AdminModule {
  return {
    nav: { id: 'keys', label: 'Keys', path: '/admin/keys' },
    mount(router, shell) {
      const page = (c: Context<AdminEnv>, refused?: KeysPageState['refused']) =>
        shell.render(c, {
          title: 'Keys and webhooks',
          nav: 'keys',
          body: keysBody({
            acpKeys: deps.acpKeys.list(),
            tokens: deps.tokens.list(),
            webhooks: deps.webhooks.list(),
            nowMs: deps.clock.now().getTime(),
            time: (ms) => deps.formatTime(new Date(ms)),
            csrf: c.get('csrf'),
            refused,
          }),
          status: refused === undefined ? 200 : 422,
        });
      router.get('/keys', (c) => page(c));
      mountAcpKeys(router, shell, deps, page);
      mountTokens(router, shell, deps, page);
      mountWebhooks(router, shell, deps, page);
    },
  };
}

type Page = (c: Context<AdminEnv>, refused?: KeysPageState['refused']) => Promise<Response>;

function mountAcpKeys(router: AdminRouter, shell: AdminShell, deps: KeysPageDeps, page: Page): void {
  router.post('/keys/acp', async (c) => {
    const form = await readForm(c);
    const values = { name: form.text('name'), signing: form.checked('signing') ? 'on' : '' };
    let made: ReturnType<AcpKeys['create']>;
    try {
      made = deps.acpKeys.create(values.name, { signing: values.signing === 'on' });
    } catch (error) {
      if (!isAppError(error, 'invalid_input')) throw error;
      const errors = { name: 'Give the key a name of 1 to 80 characters, like ChatGPT.' };
      return page(c, { form: 'acp', values, errors });
    }
    const { key, secret, signingSecret } = made;
    shell.ownerAction('acp-key.create', key.id, { input: { name: key.name, signing: key.signingRequired } });
    return shell.render(c, {
      title: `API key for ${key.name}`,
      nav: 'keys',
      body: shownOnceBody({
        intro: `The key ${key.id} is ready. Agents send it as "Authorization: Bearer <key>" to ${deps.publicUrl}.`,
        secrets: (
          <>
            <CopyField label="API key" id="secret" value={secret} />
            {signingSecret === undefined ? null : (
              <CopyField
                label="Signing secret (for the Signature header)"
                id="signing-secret"
                value={signingSecret}
              />
            )}
          </>
        ),
        next: <p>Revoke it on the keys page when it leaks or is no longer used.</p>,
      }),
    });
  });
  router.post('/keys/acp/:id/revoke', (c) => {
    const key = deps.acpKeys.list().find((k) => k.id === c.req.param('id'));
    if (key === undefined || key.revokedAt !== undefined) {
      shell.flash(c, 'error', 'That key does not exist or is revoked already.');
      return c.redirect('/admin/keys#acp', 303);
    }
    deps.acpKeys.revoke(key.id);
    shell.ownerAction('acp-key.revoke', key.id);
    shell.flash(c, 'ok', `The key for ${key.name} is revoked: its requests are refused from now on.`);
    return c.redirect('/admin/keys#acp', 303);
  });
}

/** The owner's words for a refused token form, by field (the CLI's name its options instead). */
const TOKEN_PROBLEMS: Readonly<Record<string, [string, string]>> = {
  '--name': ['name', 'Say who the token is for, like MCP Inspector (up to 80 characters).'],
  '--days': ['days', 'Give a whole number of days from 1 to 365.'],
  '--scope': ['order', 'Choose what the token may do.'],
};

function mountTokens(router: AdminRouter, shell: AdminShell, deps: KeysPageDeps, page: Page): void {
  router.post('/keys/tokens', async (c) => {
    const form = await readForm(c);
    const values = {
      name: form.text('name'),
      days: form.text('days'),
      order: form.checked('order') ? 'on' : '',
    };
    const { tokens } = deps;
    const scopes = values.order === 'on' ? tokens.scopes : tokens.scopes.filter((s) => s === 'menu:read');
    let request: TokenRequest;
    try {
      request = tokens.parse({ name: values.name, days: values.days, scope: scopes.join(' ') });
    } catch (error) {
      if (!isAppError(error, 'invalid_input')) throw error;
      const errors: Record<string, string> = {};
      for (const v of error.violations) {
        const [field, text] = TOKEN_PROBLEMS[v.path ?? ''] ?? ['name', v.message];
        errors[field] = text;
      }
      return page(c, { form: 'token', values, errors });
    }
    const issued = await tokens.issue(request);
    shell.ownerAction('token.issue', issued.jti, {
      input: { name: request.name, scopes: request.scopes, days: request.days },
    });
    return shell.render(c, {
      title: `Token for ${request.name}`,
      nav: 'keys',
      body: shownOnceBody({
        intro:
          `Token ${shortTokenId(issued.jti)} (${request.scopes.join(' ')}) is valid until ` +
          `${deps.formatTime(issued.expiresAt)}. Send it to ${tokens.resource} as the header ` +
          '"Authorization: Bearer <token>" (MCP Inspector: Authentication, Bearer Token).',
        secrets: <CopyField label="Access token" id="secret" value={issued.token} />,
        next: <p>Its orders are those of the customer "{request.name}". Revoke it on the keys page.</p>,
      }),
    });
  });
  router.post('/keys/tokens/:jti/revoke', (c) => {
    const jti = c.req.param('jti');
    const revoked = deps.tokens.revoke(jti, deps.clock.now().getTime());
    if (revoked) shell.ownerAction('token.revoke', jti);
    shell.flash(
      c,
      revoked ? 'ok' : 'error',
      revoked ? `Token ${shortTokenId(jti)} is revoked.` : 'That token does not exist or is revoked already.',
    );
    return c.redirect('/admin/keys#tokens', 303);
  });
}

function mountWebhooks(router: AdminRouter, shell: AdminShell, deps: KeysPageDeps, page: Page): void {
  router.post('/keys/webhooks', async (c) => {
    const values = { url: (await readForm(c)).text('url') };
    let added: ReturnType<WebhookEndpoints['add']>;
    try {
      added = deps.webhooks.add(values.url);
    } catch (error) {
      if (!isAppError(error, 'invalid_input')) throw error;
      return page(c, { form: 'webhook', values, errors: { url: error.message } });
    }
    shell.ownerAction('webhook.add', added.endpoint.id, { input: { url: added.endpoint.url } });
    return shell.render(c, {
      title: 'Webhook added',
      nav: 'keys',
      body: shownOnceBody({
        intro: `Order events go to ${added.endpoint.url} from now on, signed with this secret.`,
        secrets: <CopyField label="Signing secret" id="secret" value={added.secret} />,
        next: <p>The receiver checks each event's signature with it.</p>,
      }),
    });
  });
  router.post('/keys/webhooks/:id/remove', (c) => {
    const id = c.req.param('id');
    if (!deps.webhooks.list().some((endpoint) => endpoint.id === id)) {
      shell.flash(c, 'error', 'That webhook does not exist any more.');
      return c.redirect('/admin/keys#webhooks', 303);
    }
    const removed = deps.webhooks.remove(id);
    shell.ownerAction('webhook.remove', removed.id);
    shell.flash(c, 'ok', `${removed.url} gets no more events.`);
    return c.redirect('/admin/keys#webhooks', 303);
  });
}
