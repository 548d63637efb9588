import type { Child, FC } from 'hono/jsx';

/** The screen's page frame: dark, no scripts but its own (the same CSP as the owner pages). */
const Frame: FC<{ title: string; children?: Child; csrf?: string }> = ({ title, children, csrf }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="dark" />
      {csrf === undefined ? null : <meta name="csrf" content={csrf} />}
      <title>{title}</title>
      <link rel="stylesheet" href="/kitchen/assets/screen.css" />
    </head>
    <body>{children}</body>
  </html>
);

/** The pairing form a tablet shows until it has a device session. */
export async function pairingPage(props: { error?: string; name?: string }): Promise<string> {
  const body = (
    <Frame title="Kitchen screen · pair this tablet">
      <main class="pair">
        <h1>Kitchen screen</h1>
        <p>
          On the owner's phone or laptop, open <b>Stations</b>, press <b>New pairing code</b>, and type the
          code here. This tablet then stays paired until the owner removes it.
        </p>
        {props.error === undefined ? null : (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <form method="post" action="/kitchen/pair">
          <label for="code">Pairing code</label>
          <input
            id="code"
            name="code"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            placeholder="ABCD-EFGH"
            required
          />
          <label for="name">Name of this screen</label>
          <input id="name" name="name" value={props.name ?? 'Kitchen tablet'} maxlength={40} />
          <button type="submit">Pair this tablet</button>
        </form>
      </main>
    </Frame>
  );
  return `<!doctype html>${await body}`;
}

/** The screen: a bar (station picker, sound, recall, connection) and the cards, filled in by its script. */
export async function screenPage(props: { csrf: string; device: string }): Promise<string> {
  const body = (
    <Frame title="Kitchen screen" csrf={props.csrf}>
      <header class="bar">
        <select id="station" aria-label="Station" />
        <button type="button" id="sound" aria-pressed="false">
          Tap for sound
        </button>
        <button type="button" id="recall">
          Recall
        </button>
        <span id="link" class="link">
          connecting…
        </span>
        <span class="device">{props.device}</span>
      </header>
      <p id="notice" class="notice" role="status" />
      <main id="cards" class="cards" aria-live="polite" />
      <noscript>
        <p class="notice">The kitchen screen needs JavaScript.</p>
      </noscript>
      <script src="/kitchen/assets/screen.js" />
    </Frame>
  );
  return `<!doctype html>${await body}`;
}
