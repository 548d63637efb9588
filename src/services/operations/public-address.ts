import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, type Violation } from '../../domain/app-error.js';

/** Files in DATA_DIR that systemd reads (see systemd/counterpi-reconfigure.path). */
export const TUNNEL_ENV_FILE = 'tunnel.env';
export const PUBLIC_URL_ENV_FILE = 'public-url.env';

/** What the owner pastes: the Cloudflare tunnel token and the address the tunnel serves. */
export interface PublicAddressInput {
  readonly tunnelToken: string;
  readonly publicUrl: string;
}

// A Cloudflare tunnel token is one base64 (or base64url) word, a few hundred characters long.
const TOKEN = /^[A-Za-z0-9+/_-]{80,4096}={0,2}$/;

/** Every problem with the owner's input, each on its field; empty when it can be saved. */
export function publicAddressProblems(input: PublicAddressInput): Violation[] {
  const problems: Violation[] = [];
  if (!TOKEN.test(input.tunnelToken.trim())) {
    problems.push({
      code: 'invalid_input',
      path: 'tunnel_token',
      message:
        'This is not a Cloudflare tunnel token: copy the long token from the tunnel’s install command in Cloudflare’s dashboard (after "--token").',
    });
  }
  const url = URL.parse(input.publicUrl.trim());
  if (
    url === null ||
    url.protocol !== 'https:' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    problems.push({
      code: 'invalid_input',
      path: 'public_url',
      message:
        'The public address is the https:// address of the tunnel, without a path, e.g. https://order.myshop.com.',
    });
  }
  return problems;
}

/**
 * Writes the token and the address where systemd reads them (mode 0600, replaced atomically): a path
 * unit sees the change and restarts the tunnel and counterpi, which then serves under the new address.
 */
export function savePublicAddress(dataDir: string, input: PublicAddressInput): { publicUrl: string } {
  const problems = publicAddressProblems(input);
  if (problems.length > 0) throw AppError.fromViolations(problems);
  const publicUrl = new URL(input.publicUrl.trim()).origin;
  writePrivate(join(dataDir, TUNNEL_ENV_FILE), `TUNNEL_TOKEN=${input.tunnelToken.trim()}\n`);
  writePrivate(join(dataDir, PUBLIC_URL_ENV_FILE), `PUBLIC_URL=${publicUrl}\n`);
  return { publicUrl };
}

function writePrivate(file: string, text: string): void {
  const temporary = `${file}.new`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
