import type { Child } from 'hono/jsx';
import { type ListedOwnerToken, ownerTokenStatus, shortTokenId } from '../domain/owner-token.js';
import type { AcpKey } from '../services/checkout/acp-keys.js';
import type { WebhookEndpoint } from '../services/webhooks/webhook-endpoints.js';
import { ActionButton, Check, Field, type FieldErrors, PostForm } from './form-fields.js';
import { guideLink } from './guide-link.js';

/** What the keys page lists. */
export interface KeysPageState {
  readonly acpKeys: readonly AcpKey[];
  readonly tokens: readonly ListedOwnerToken[];
  readonly webhooks: readonly WebhookEndpoint[];
  readonly nowMs: number;
  readonly time: (ms: number) => string;
  readonly csrf: string;
  /** The form that was refused, with what was sent and what is wrong. */
  readonly refused?: {
    readonly form: 'acp' | 'token' | 'webhook';
    readonly values: Readonly<Record<string, string>>;
    readonly errors: FieldErrors;
  };
}

/** The page after a key, token or webhook was made: its secrets, this once. */
export function shownOnceBody(p: {
  readonly intro: string;
  readonly secrets: Child;
  readonly next: Child;
}): Child {
  return (
    <section class="card">
      <p>{p.intro}</p>
      {p.secrets}
      <p class="flash error" role="alert">
        Copy it now: it is shown only this once and counterpi keeps no copy it could show again. Tap Copy (or
        select the text: on a phone, long-press it, then Select all and Copy) and paste it where it goes.
      </p>
      {p.next}
      <p>
        <a href="/admin/keys">Back to the keys</a>
      </p>
    </section>
  );
}

const NOTHING_REFUSED: { values: Readonly<Record<string, string>>; errors: FieldErrors } = {
  values: {},
  errors: {},
};
const refusedFor = (state: KeysPageState, form: 'acp' | 'token' | 'webhook') =>
  state.refused?.form === form ? state.refused : NOTHING_REFUSED;

/** One listed key, token or address, and the button that ends it while it can still be ended. */
function ListRow(props: {
  csrf: string;
  action: string | undefined;
  label: string;
  children?: Child;
}): Child {
  return (
    <li class="row">
      <span class="main">{props.children}</span>
      {props.action === undefined ? null : (
        <ActionButton action={props.action} csrf={props.csrf} label={props.label} kind="danger" />
      )}
    </li>
  );
}

function acpSection(state: KeysPageState): Child {
  const { values, errors } = refusedFor(state, 'acp');
  return (
    <section class="card" id="acp">
      <h2>ACP API keys {guideLink('acpKeys')}</h2>
      <p>
        For agent platforms that check out through the Agentic Commerce Protocol (ChatGPT Instant Checkout).
      </p>
      <ul class="rows">
        {state.acpKeys.length === 0 ? <li>No keys yet.</li> : null}
        {state.acpKeys.map((key) => (
          <ListRow
            csrf={state.csrf}
            action={key.revokedAt === undefined ? `/admin/keys/acp/${key.id}/revoke` : undefined}
            label="Revoke"
          >
            <strong>{key.name}</strong> <code>{key.id}</code> ends in {key.hint}, made{' '}
            {state.time(key.createdAt)}
            {key.signingRequired ? ', signed requests' : ''}
            {key.revokedAt === undefined ? '' : `, revoked ${state.time(key.revokedAt)}`}
          </ListRow>
        ))}
      </ul>
      <PostForm action="/admin/keys/acp" csrf={state.csrf}>
        <h3>New key</h3>
        <Field
          label="Name"
          name="name"
          id="acp-name"
          value={values.name ?? ''}
          errors={errors}
          hint="Who uses it, like ChatGPT"
        />
        <p>
          <Check
            label="Its requests must be signed too (a signing secret comes with it)"
            name="signing"
            checked={values.signing === 'on'}
          />
        </p>
        <button type="submit" class="primary">
          Create the key
        </button>
      </PostForm>
    </section>
  );
}

function tokenSection(state: KeysPageState): Child {
  const { values, errors } = refusedFor(state, 'token');
  return (
    <section class="card" id="tokens">
      <h2>Customer tokens {guideLink('customerTokens')}</h2>
      <p>
        An access token to the MCP endpoint for a client that cannot sign in by itself (MCP Inspector, a
        test).
      </p>
      <ul class="rows">
        {state.tokens.length === 0 ? <li>No tokens yet.</li> : null}
        {state.tokens.map((token) => {
          const status = ownerTokenStatus(token, state.nowMs);
          return (
            <ListRow
              csrf={state.csrf}
              action={status === 'active' ? `/admin/keys/tokens/${token.jti}/revoke` : undefined}
              label="Revoke"
            >
              <strong>{token.name}</strong> <code>{shortTokenId(token.jti)}</code> {token.scopes.join(' ')},
              until {state.time(token.expiresAt)}, {status}
            </ListRow>
          );
        })}
      </ul>
      <PostForm action="/admin/keys/tokens" csrf={state.csrf}>
        <h3>New token</h3>
        <Field
          label="Name"
          name="name"
          id="token-name"
          value={values.name ?? ''}
          errors={errors}
          hint="Who it is for, like MCP Inspector"
        />
        <Field
          label="Valid for (days)"
          name="days"
          value={values.days ?? '90'}
          errors={errors}
          inputmode="numeric"
          size={4}
        />
        <p>
          <Check
            label="May order too (order:write), not only read the menu"
            name="order"
            checked={values.order !== ''}
            errors={errors}
          />
        </p>
        <button type="submit" class="primary">
          Issue the token
        </button>
      </PostForm>
    </section>
  );
}

function webhookSection(state: KeysPageState): Child {
  const { values, errors } = refusedFor(state, 'webhook');
  return (
    <section class="card" id="webhooks">
      <h2>Order webhooks {guideLink('webhooks')}</h2>
      <p>Addresses that hear about every order change, signed with their own secret.</p>
      <ul class="rows">
        {state.webhooks.length === 0 ? <li>No webhooks.</li> : null}
        {state.webhooks.map((endpoint) => (
          <ListRow csrf={state.csrf} action={`/admin/keys/webhooks/${endpoint.id}/remove`} label="Remove">
            <code>{endpoint.url}</code> ({endpoint.delivered} delivered, {endpoint.pending} waiting,{' '}
            {endpoint.failed} failed)
          </ListRow>
        ))}
      </ul>
      <PostForm action="/admin/keys/webhooks" csrf={state.csrf}>
        <h3>New webhook</h3>
        <Field
          label="Address"
          name="url"
          value={values.url ?? ''}
          errors={errors}
          type="url"
          hint="https://…"
        />
        <button type="submit" class="primary">
          Add the webhook
        </button>
      </PostForm>
    </section>
  );
}

/** The keys page: ACP API keys, customer tokens and webhooks, each listed with a form to add one. */
export function keysBody(state: KeysPageState): Child {
  return (
    <>
      <p class="hint intro">
        Keys let other systems work with the shop: agent platforms that check out (ACP keys), a test client or
        a fixed connection (customer tokens), and your own systems that want to hear of every order
        (webhooks). Each secret is shown once, when it is made, with a Copy button.
      </p>
      {acpSection(state)}
      {tokenSection(state)}
      {webhookSection(state)}
    </>
  );
}
