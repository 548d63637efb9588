import type { Logger } from '../../platform/logger.js';

/** What the public URL answered, as seen from this machine. */
export interface PublicUrlStatus {
  readonly state: 'skipped' | 'pending' | 'ok' | 'unreachable' | 'mismatch';
  readonly detail: string;
}

/** Periodic self-check of PUBLIC_URL, for the logs and the `tunnel` component of `/ready`. */
export interface PublicUrlCheck {
  /** Checks now in the background (never blocks start-up), then again on a schedule. */
  start(): void;
  stop(): void;
  /** One check, now. */
  check(): Promise<PublicUrlStatus>;
  health(): { ok: boolean; detail: string };
}

export interface PublicUrlCheckDeps {
  readonly publicUrl: string;
  readonly fetch: typeof fetch;
  readonly log: Logger;
  /** The address of a cloudflared quick tunnel on this machine, if one runs: named in the hint. */
  readonly quickTunnel?: () => Promise<string | undefined>;
  readonly timeoutMs?: number;
  /** Waits between checks while the URL does not answer right: the tunnel often connects after us. */
  readonly retryMs?: readonly number[];
  /** Wait between checks once it answers right. */
  readonly recheckMs?: number;
  /** Why not to check at all (a reserved example domain that no tunnel serves), if so. */
  readonly skip?: string | undefined;
}

const METADATA_PATH = '/.well-known/oauth-authorization-server';
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * True for names reserved for examples and tests (RFC 2606, RFC 6761): `example.com`, `.example`,
 * `.test`, `.invalid`. No tunnel ever serves them, so there is nothing to ask the network about.
 */
export function isReservedExampleUrl(url: string): boolean {
  const { hostname } = new URL(url);
  return /(^|\.)(example\.(com|net|org)|example|test|invalid)$/i.test(hostname);
}

/** True when PUBLIC_URL is this machine: there is no tunnel to check. */
export function isLoopbackUrl(url: string): boolean {
  const { hostname } = new URL(url);
  return LOOPBACK.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * Fetches our own authorization server metadata through PUBLIC_URL and compares its issuer (RFC 8414
 * §3.3: it must equal the URL the metadata was fetched from). A mismatch means another server answers
 * at that address, and connectors would refuse to sign in.
 */
export async function checkPublicUrl(
  deps: Pick<PublicUrlCheckDeps, 'publicUrl' | 'fetch' | 'timeoutMs'>,
  signal?: AbortSignal,
): Promise<PublicUrlStatus> {
  const { publicUrl } = deps;
  if (isLoopbackUrl(publicUrl))
    return { state: 'skipped', detail: `PUBLIC_URL ${publicUrl} is this machine` };
  let res: Response;
  try {
    res = await deps.fetch(`${publicUrl}${METADATA_PATH}`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(deps.timeoutMs ?? 10_000), ...(signal ? [signal] : [])]),
    });
  } catch (error) {
    return { state: 'unreachable', detail: `${publicUrl} does not answer (${reasonOf(error)})` };
  }
  // Cloudflare answers 502/530 itself when the tunnel is down; other 5xx are no better.
  if (res.status >= 500) {
    return {
      state: 'unreachable',
      detail: `${publicUrl} answers HTTP ${res.status}: the tunnel is not connected`,
    };
  }
  let issuer: unknown;
  try {
    issuer = res.ok ? ((await res.json()) as { issuer?: unknown }).issuer : undefined;
  } catch {
    issuer = undefined;
  }
  if (issuer === publicUrl) return { state: 'ok', detail: `${publicUrl} answers with our issuer` };
  return {
    state: 'mismatch',
    detail:
      typeof issuer === 'string'
        ? `${publicUrl} answers with issuer ${issuer}: another server answers at PUBLIC_URL`
        : `${publicUrl}${METADATA_PATH} answers HTTP ${res.status} without our metadata: another server answers at PUBLIC_URL`,
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** The self-check wired at start-up: first check right after listening, retries, then a slow recheck. */
export function createPublicUrlCheck(deps: PublicUrlCheckDeps): PublicUrlCheck {
  const retryMs = deps.retryMs ?? [5_000, 15_000, 30_000, 60_000, 300_000];
  const recheckMs = deps.recheckMs ?? 30 * 60_000;
  let status: PublicUrlStatus = { state: 'pending', detail: 'not checked yet' };
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stopping = new AbortController();

  async function check(): Promise<PublicUrlStatus> {
    let next = await checkPublicUrl(deps, stopping.signal);
    if (next.state === 'unreachable' || next.state === 'mismatch') next = await withQuickTunnelHint(next);
    if (stopped) return status;
    report(next);
    status = next;
    return next;
  }

  async function withQuickTunnelHint(failed: PublicUrlStatus): Promise<PublicUrlStatus> {
    const quick = await deps.quickTunnel?.().catch(() => undefined);
    if (quick === undefined || quick === deps.publicUrl) return failed;
    return {
      ...failed,
      detail: `${failed.detail}; a cloudflared quick tunnel runs at ${quick}: set PUBLIC_URL=${quick} and restart counterpi (its address changes every time cloudflared restarts)`,
    };
  }

  function report(next: PublicUrlStatus): void {
    if (next.state === status.state && next.detail === status.detail) return;
    const fields = { public_url: deps.publicUrl, state: next.state, detail: next.detail };
    if (next.state === 'ok') deps.log.info(fields, 'public URL answers with our issuer');
    else if (next.state === 'mismatch') deps.log.error(fields, 'another server answers at PUBLIC_URL');
    else if (next.state === 'unreachable')
      deps.log.warn(
        fields,
        'PUBLIC_URL is unreachable from here: is the tunnel running? (systemctl status counterpi-tunnel)',
      );
  }

  function schedule(): void {
    if (stopped) return;
    const ok = status.state === 'ok';
    failures = ok ? 0 : failures + 1;
    const wait = ok ? recheckMs : (retryMs[Math.min(failures - 1, retryMs.length - 1)] ?? recheckMs);
    timer = setTimeout(() => {
      void check().finally(schedule);
    }, wait);
    timer.unref();
  }

  return {
    start() {
      if (deps.skip !== undefined) {
        status = { state: 'skipped', detail: deps.skip };
        return;
      }
      if (isLoopbackUrl(deps.publicUrl)) {
        status = {
          state: 'skipped',
          detail: `PUBLIC_URL ${deps.publicUrl} is this machine: no tunnel to check`,
        };
        return;
      }
      void check().finally(schedule);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      stopping.abort();
    },
    check,
    health: () => ({ ok: status.state === 'ok' || status.state === 'skipped', detail: status.detail }),
  };
}
