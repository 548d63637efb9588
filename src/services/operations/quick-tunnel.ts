/**
 * cloudflared serves its metrics on the first free port of 127.0.0.1:20241–20245 (Cloudflare's tunnel
 * metrics docs); `GET /quicktunnel` there answers `{"hostname":"<random>.trycloudflare.com"}` for a quick
 * tunnel and `{"hostname":""}` for a named one (cloudflared metrics/metrics.go).
 */
export const CLOUDFLARED_METRICS_PORTS: readonly number[] = [20241, 20242, 20243, 20244, 20245];

export interface QuickTunnelDeps {
  readonly fetch: typeof fetch;
  /** Ports to ask, in order; cloudflared's default range unless the unit pins one with --metrics. */
  readonly ports?: readonly number[];
  readonly timeoutMs?: number;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * The public origin of a quick tunnel running on this machine, or undefined when there is none. A quick
 * tunnel gets a new random address every time cloudflared starts: PUBLIC_URL must follow it, so it suits
 * a demo, not a shop (whose connectors would break at every restart).
 */
export async function readQuickTunnelUrl(deps: QuickTunnelDeps): Promise<string | undefined> {
  const ports = deps.ports ?? CLOUDFLARED_METRICS_PORTS;
  const answers = await Promise.all(ports.map((port) => askPort(deps, port)));
  return answers.find((answer) => answer !== undefined);
}

async function askPort(deps: QuickTunnelDeps, port: number): Promise<string | undefined> {
  try {
    const res = await deps.fetch(`http://127.0.0.1:${port}/quicktunnel`, {
      signal: AbortSignal.timeout(deps.timeoutMs ?? 1000),
      redirect: 'error',
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { hostname?: unknown };
    const hostname = typeof body?.hostname === 'string' ? body.hostname : '';
    return HOSTNAME.test(hostname) ? `https://${hostname.toLowerCase()}` : undefined;
  } catch {
    // Nothing listens there, or something that is not cloudflared: no quick tunnel on this port.
    return undefined;
  }
}
