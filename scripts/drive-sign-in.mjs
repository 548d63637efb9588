#!/usr/bin/env node
// Plays the customer's browser for one authorization request: opens the authorization URL, signs in on
// counterpi's sign-in page (name and E.164 phone), allows on the consent page, and follows the redirect
// to the client's loopback redirect_uri. scripts/conformance-auth.sh runs it with the URL the MCP
// conformance suite prints for `authorization-code-grant`, whose callback server is that redirect_uri.
//
//   node scripts/drive-sign-in.mjs 'http://127.0.0.1:PORT/oauth/auth?response_type=code&…'
//
// Loopback only: it refuses to request any other host. Exits 0 once the redirect_uri has answered,
// 1 with the page's own error text when the flow stops anywhere else.

const CUSTOMER = { name: 'Conformance Suite', phone: '+15555550123' };
const MAX_HOPS = 20;
const REQUEST_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

const start = new URL(process.argv[2] ?? fail('usage: drive-sign-in.mjs AUTHORIZATION_URL'));
const issuer = start.origin;
const jar = createJar();

let url = start;
let init = {};
for (let hop = 0; hop < MAX_HOPS; hop++) {
  assertLoopback(url);
  if (url.origin !== issuer) {
    // Left the authorization server: this is the client's redirect_uri, which a browser simply loads.
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    console.log(`GET ${show(url)} → ${res.status} (redirect_uri reached; the client has the response)`);
    process.exit(res.ok ? 0 : 1);
  }
  const res = await fetch(url, {
    ...init,
    headers: { ...init.headers, ...jar.header(url) },
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  jar.keep(url, res);
  console.log(`${init.method ?? 'GET'} ${show(url)} → ${res.status}`);
  const location = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && location !== null) {
    url = new URL(location, url);
    init = {};
    continue;
  }
  const html = await res.text();
  const next = nextForm(html, url);
  if (res.status !== 200 || next === undefined)
    fail(`stopped at ${show(url)} (${res.status}): ${pageText(html)}`);
  console.log(`  submitting the ${next.what} form`);
  url = next.action;
  init = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: next.body.toString(),
  };
}
fail(`more than ${MAX_HOPS} requests without reaching the redirect_uri`);

/** The form a customer fills next: sign-in (the one with a phone field) or consent (Allow, posting to …/consent). */
function nextForm(html, base) {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs, inner]) => ({
    action: new URL(decode(attr(attrs, 'action') ?? ''), base),
    method: (attr(attrs, 'method') ?? 'get').toLowerCase(),
    inputs: [...inner.matchAll(/<input\b[^>]*>/g)].map(([tag]) => ({
      type: (attr(tag, 'type') ?? 'text').toLowerCase(),
      name: attr(tag, 'name'),
      value: decode(attr(tag, 'value') ?? ''),
    })),
  }));
  const post = forms.filter((f) => f.method === 'post');
  const signIn = post.find((f) => f.inputs.some((i) => i.name === 'phone'));
  if (signIn !== undefined) return { what: 'sign-in', action: signIn.action, body: fill(signIn, CUSTOMER) };
  const allow = post.find((f) => f.action.pathname.endsWith('/consent'));
  if (allow !== undefined) return { what: 'consent (Allow)', action: allow.action, body: fill(allow, {}) };
  return undefined;
}

/** The form's hidden fields (the CSRF token) plus what the customer types. */
function fill(form, typed) {
  const body = new URLSearchParams();
  for (const input of form.inputs) {
    if (input.name === undefined) continue;
    body.set(input.name, input.type === 'hidden' ? input.value : (typed[input.name] ?? input.value));
  }
  return body;
}

function attr(tag, name) {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m === null ? undefined : m[1];
}

function decode(text) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) => {
    if (e[0] !== '#') return named[e.toLowerCase()];
    return String.fromCodePoint(
      e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
    );
  });
}

function pageText(html) {
  const errors = [...html.matchAll(/<p class="error">([\s\S]*?)<\/p>/g)].map((m) => decode(m[1]));
  if (errors.length > 0) return errors.join(' ');
  return decode(html.replace(/<style[\s\S]*?<\/style>|<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

/** A URL for the log: no query, so no code, state or PKCE values end up in it. */
function show(u) {
  return `${u.origin}${u.pathname}`;
}

function assertLoopback(u) {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`refusing ${u.protocol} URL ${show(u)}`);
  if (!LOOPBACK.has(u.hostname)) fail(`refusing ${show(u)}: loopback only`);
}

/** Cookies as a browser keeps them for one origin: by name and path, dropped when expired. */
function createJar() {
  const cookies = new Map();
  return {
    keep(from, res) {
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attrs] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const pathAttr = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='));
        const path = pathAttr?.slice(5) || '/';
        const expires = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
        const maxAge = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('max-age='));
        const expired =
          (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now()) ||
          (maxAge !== undefined && Number(maxAge.slice(8)) <= 0);
        const key = `${from.origin} ${path} ${name}`;
        if (expired || value === '') cookies.delete(key);
        else cookies.set(key, { origin: from.origin, path, name, value });
      }
    },
    header(to) {
      const inPath = (p) => to.pathname === p || to.pathname.startsWith(p.endsWith('/') ? p : `${p}/`);
      const sent = [...cookies.values()].filter((c) => c.origin === to.origin && inPath(c.path));
      return sent.length === 0 ? {} : { cookie: sent.map((c) => `${c.name}=${c.value}`).join('; ') };
    },
  };
}

function fail(message) {
  console.error(`drive-sign-in: ${message}`);
  process.exit(1);
}
