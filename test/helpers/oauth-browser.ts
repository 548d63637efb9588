import * as oc from 'openid-client';
import { PUBLIC_URL } from './start-app.js';

/** fetch for PUBLIC_URL that goes to the app on loopback instead, as the tunnel would. */
export function tunnelTo(localUrl: string): typeof fetch {
  return async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    if (url.origin !== PUBLIC_URL) throw new Error(`unexpected origin ${url.origin}`);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
    return fetch(`${localUrl}${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers,
      body,
      redirect: 'manual',
    });
  };
}

/** The tunnel as a visitor at `address` reaches the app: Cloudflare names the client in CF-Connecting-IP. */
export function viaAddress(tunnel: typeof fetch, address: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cf-connecting-ip', address);
    return tunnel(input, { ...init, headers });
  };
}

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** Where a browser ended up: a page of ours, or a URL outside PUBLIC_URL (the client's redirect_uri). */
export interface Landing {
  readonly url: URL;
  readonly status: number;
  readonly html: string;
}

/** A minimal browser: path-aware cookie jar, manual redirects, form posts as a browser sends them. */
export function createBrowser(tunnel: typeof fetch) {
  const jar = new Map<string, Cookie>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith('path='))
          ?.slice(5) ?? '/';
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') jar.delete(`${name};${path}`);
      else jar.set(`${name};${path}`, { name, value, path });
    }
  };
  const cookieFor = (url: URL) =>
    [...jar.values()]
      .filter(
        (c) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');

  async function go(start: string, init: RequestInit = {}): Promise<Landing> {
    let url = new URL(start);
    let request = init;
    for (let hops = 0; hops < 10; hops++) {
      if (url.origin !== PUBLIC_URL) return { url, status: 0, html: '' };
      const headers = new Headers(request.headers);
      headers.set('cookie', cookieFor(url));
      const res = await tunnel(url.href, { ...request, headers });
      keep(res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        url = new URL(location, url);
        request = {};
        continue;
      }
      return { url, status: res.status, html: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** Posts the page's `index`-th form with its hidden fields plus `fields`. */
  async function submit(from: Landing, index: number, fields: Record<string, string> = {}): Promise<Landing> {
    const forms = [...from.html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)];
    const form = forms.at(index);
    if (form === undefined) throw new Error(`no form ${index} in ${from.html}`);
    const body = new URLSearchParams(fields);
    for (const m of (form[2] ?? '').matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
      body.set(m[1] ?? '', m[2] ?? '');
    }
    const action = new URL((form[1] ?? '').replaceAll('&#38;', '&'), from.url);
    return go(action.href, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  return { go, submit, clear: () => jar.clear() };
}

/** A PKCE authorization request for `PUBLIC_URL/mcp`, as an assistant builds it; `extra` overrides any parameter. */
export async function authorizationRequest(
  config: oc.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
): Promise<{ verifier: string; state: string; url: URL }> {
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const url = oc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'menu:read order:write',
    resource: `${PUBLIC_URL}/mcp`,
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { verifier, state, url };
}
