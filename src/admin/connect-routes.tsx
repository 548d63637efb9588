import type { FC } from 'hono/jsx';
import QRCode from 'qrcode';
import { isAppError } from '../domain/app-error.js';
import type { PublicAddressInput } from '../services/operations/public-address.js';
import { assistantReach } from '../services/shop/assistant-reach.js';
import { CsrfField } from './admin-layout.js';
import type { AdminModule } from './admin-shell.js';
import { CopyField, Field } from './form-fields.js';
import { readForm } from './form-read.js';
import { guideHref, guideLink } from './guide-link.js';

/** What the connect page shows: the public addresses and whether a tunnel reaches them. */
export interface ConnectDeps {
  readonly publicUrl: string;
  readonly shopName: () => string;
  /** The public URL self-check, as the status panel has it. */
  readonly tunnel: () => { readonly ok: boolean; readonly detail: string };
  /** Saves a pasted Cloudflare tunnel token and its public address for systemd to apply. */
  readonly savePublicAddress: (input: PublicAddressInput) => { publicUrl: string };
  /** True under systemd: saving restarts counterpi with the new address by itself. */
  readonly appliesItself: boolean;
}

const Steps: FC<{ title: string; steps: readonly string[]; note?: string }> = ({ title, steps, note }) => (
  <section class="card">
    <h2>{title}</h2>
    <ol>
      {steps.map((step) => (
        <li>{step}</li>
      ))}
    </ol>
    {note === undefined ? null : <p class="hint">{note}</p>}
  </section>
);

/** `/admin/connect`: the MCP address with a QR code, how to add it in each assistant, the ACP discovery. */
export function connectModule(deps: ConnectDeps): AdminModule {
  const mcpUrl = `${deps.publicUrl}/mcp`;
  return {
    nav: { id: 'connect', label: 'Connect', path: '/admin/connect' },
    mount(router, shell) {
      router.get('/connect', async (c) => {
        const svg = await QRCode.toString(mcpUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
        const qr = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
        // The dashboard's verdict too: one function decides whether assistants can reach the shop.
        const reach = assistantReach(deps.publicUrl, deps.tunnel());
        const name = deps.shopName();
        return shell.render(c, {
          title: 'Connect the assistants',
          nav: 'connect',
          body: (
            <>
              <p class="hint intro">
                Customers add your shop to their assistant with the address below, once. Until the shop has a
                public address, no assistant can reach it. {guideLink('connect')}
              </p>
              {reach.tone === 'ok' ? null : (
                <p class="flash error" role="alert">
                  {reach.words} <a href={guideHref('publicAddress')}>How to get a public address</a>
                </p>
              )}
              <section class="card">
                <h2>Your shop’s connector address {guideLink('connect')}</h2>
                <CopyField id="mcp-url" label="MCP server URL" value={mcpUrl} />
                <img class="qr" src={qr} alt={`QR code of ${mcpUrl}`} width="200" height="200" />
                <p class="hint">
                  Customers add this address to their assistant once, then sign in with their name and phone
                  number. Scan the code to copy it to a phone.
                </p>
                {reach.tone === 'ok' ? <p class="hint reach">{reach.words}</p> : null}
              </section>
              <Steps
                title="ChatGPT"
                steps={[
                  'Settings → Apps & Connectors → Advanced settings: turn on Developer mode (plans that allow custom connectors).',
                  `Back in Apps & Connectors choose Create. Name: ${name}; MCP server URL: the address above; Authentication: OAuth.`,
                  'Tick that you trust the app and choose Create. ChatGPT opens the shop’s sign-in page: enter your name and phone number, then Allow.',
                  'In a new chat, pick the connector from the + menu and ask for the menu.',
                ]}
              />
              <Steps
                title="Claude"
                steps={[
                  'Settings → Connectors → Add custom connector (claude.ai, the desktop and the mobile apps share it).',
                  `Name: ${name}; Remote MCP server URL: the address above. Choose Add.`,
                  'Choose Connect: Claude opens the shop’s sign-in page. Enter your name and phone number, then Allow.',
                  'In a chat, turn the connector on in the tools menu and ask for the menu.',
                ]}
                note="Claude reaches the shop from Anthropic's servers: the address must be public HTTPS on port 443."
              />
              <Steps
                title="Le Chat (Mistral)"
                steps={[
                  'Intelligence → Connectors → Add connector → Custom MCP connector.',
                  `Name: ${name}; Connector server: the address above. Le Chat finds the sign-in by itself (OAuth).`,
                  'Choose Connect, sign in with your name and phone number, then Allow.',
                  'In a chat, enable the connector from the tools menu and ask for the menu.',
                ]}
              />
              <section class="card" id="public-address">
                <h2>Your own public address {guideLink('publicAddress')}</h2>
                <p class="hint">
                  With a Cloudflare named tunnel the address stays the same for good. In Cloudflare’s
                  dashboard create a tunnel, add a public hostname (e.g. order.myshop.com) for the service
                  http://localhost:{new URL(deps.publicUrl).port || '80'}, and copy the token of its install
                  command.
                </p>
                <form method="post" action="/admin/connect/public-address">
                  <CsrfField token={c.get('csrf')} />
                  <Field
                    name="public_url"
                    label="Public address"
                    value=""
                    type="url"
                    placeholder="https://order.myshop.com"
                    required
                  />
                  <Field
                    name="tunnel_token"
                    label="Tunnel token"
                    value=""
                    type="password"
                    autocomplete="off"
                    required
                  />
                  <button type="submit">Save and use this address</button>
                </form>
              </section>
              <section class="card">
                <h2>Agent platforms (ACP) {guideLink('acpKeys')}</h2>
                <CopyField
                  id="acp-url"
                  label="ACP discovery"
                  value={`${deps.publicUrl}/.well-known/acp.json`}
                />
                <CopyField id="acp-mcp" label="ACP checkout over MCP" value={`${deps.publicUrl}/acp/mcp`} />
                <p class="hint">
                  Agent platforms that speak the Agentic Commerce Protocol need an API key: make one on the{' '}
                  <a href="/admin/keys#acp">Keys</a> page.
                </p>
              </section>
            </>
          ),
        });
      });
      router.post('/connect/public-address', async (c) => {
        const form = await readForm(c);
        try {
          const { publicUrl } = deps.savePublicAddress({
            tunnelToken: form.text('tunnel_token'),
            publicUrl: form.text('public_url'),
          });
          shell.ownerAction('public-address.save', publicUrl);
          shell.flash(
            c,
            'ok',
            deps.appliesItself
              ? `Saved: the tunnel and counterpi restart with ${publicUrl} in a few seconds. Then add ${publicUrl}/mcp to the assistants again.`
              : `Saved for ${publicUrl}. Restart counterpi and the tunnel to use it (systemd does this by itself on the Pi).`,
          );
        } catch (error) {
          if (!isAppError(error)) throw error;
          const problems =
            error.violations.length > 0 ? error.violations.map((v) => v.message) : [error.message];
          shell.flash(c, 'error', problems.join(' '));
        }
        return c.redirect('/admin/connect#public-address', 303);
      });
    },
  };
}
