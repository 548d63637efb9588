import { parseArgs } from 'node:util';
import { type KeyRotation, loadOrCreateAcpSigningRoot, rotateSigningKeys } from '../auth/key-files.js';
import { LONGEST_SIGNED_TOKEN_SECONDS, OWNER_TOKEN_MAX_DAYS } from '../auth/owner-tokens.js';
import type { Config } from '../config/config.js';
import { systemClock } from '../platform/clock.js';
import { timeOrderedIds } from '../platform/ids.js';
import { createAcpKeys, SIGNATURE_WINDOW_SECONDS } from '../services/checkout/acp-keys.js';
import { createAcpKeysRepo } from '../store/acp-keys-repo.js';
import type { CliIo } from './cli-io.js';
import { openShop, ownerAction, ownerAudit } from './shop-access.js';

export async function runKeys(args: string[], config: Config, io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] !== 'rotate') {
    io.stderr.write('Usage: counterpi keys rotate\n');
    return 2;
  }
  // The shop first: a lost database is refused before any key file changes.
  const store = openShop(config, io);
  let rotation: KeyRotation;
  try {
    rotation = await rotateSigningKeys(config.dataDir, {
      now: systemClock.now(),
      retainSeconds: LONGEST_SIGNED_TOKEN_SECONDS,
    });
    ownerAudit(store).record(
      ownerAction('keys.rotate', rotation.signing, {
        kept: rotation.kept.length,
        dropped: rotation.dropped.length,
      }),
    );
  } finally {
    store.close();
  }
  const { signing, kept, dropped } = rotation;
  io.stderr.write(
    `New signing key ${signing}.\n` +
      `Kept ${kept.length} previous key(s), so the tokens they signed keep working until they expire` +
      (dropped.length > 0
        ? `; dropped ${dropped.length} retired over ${OWNER_TOKEN_MAX_DAYS} days ago.\n`
        : '.\n') +
      'Restart counterpi now (sudo systemctl restart counterpi): until then it signs with the previous key,\n' +
      'and tokens from "counterpi token issue" are refused.\n',
  );
  return 0;
}

const ACP_KEY_USAGE =
  'Usage: counterpi acp-key create --name NAME [--sign] | counterpi acp-key list | counterpi acp-key revoke ID\n';

/** API keys for agent platforms calling the ACP endpoints (checkout sessions, delegated payment). */
export async function runAcpKey(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const store = openShop(config, io);
  try {
    const keys = createAcpKeys({
      repo: createAcpKeysRepo({ store }),
      clock: systemClock,
      ids: timeOrderedIds,
      signingRoot: loadOrCreateAcpSigningRoot(config.dataDir),
    });
    if (action === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, sign: { type: 'boolean' } },
        strict: true,
      });
      if (values.name === undefined) {
        io.stderr.write(ACP_KEY_USAGE);
        return 2;
      }
      const name = values.name;
      const { key, secret, signingSecret } = store.transaction(() => {
        const created = keys.create(name, { signing: values.sign === true });
        ownerAudit(store).record(ownerAction('acp-key.create', created.key.id, { name }));
        return created;
      });
      io.stdout.write(`${secret}\n`);
      if (signingSecret !== undefined) io.stdout.write(`${signingSecret}\n`);
      io.stderr.write(
        `API key ${key.id} ("${key.name}") created. Give it to the agent platform as "Authorization: Bearer <key>" for ${config.publicUrl}; it is shown only this once. Revoke it with: counterpi acp-key revoke ${key.id}\n`,
      );
      if (signingSecret !== undefined) {
        io.stderr.write(
          `The second line is its request-signing secret: every request must carry Timestamp (RFC 3339, within ${SIGNATURE_WINDOW_SECONDS} s) and Signature = base64url(HMAC-SHA256(secret, Timestamp + "\\n" + METHOD + "\\n" + path + "\\n" + canonical JSON body)).\n`,
        );
      }
      return 0;
    }
    if (action === 'list' && rest.length === 0) {
      const all = keys.list();
      if (all.length === 0)
        io.stderr.write('No API keys. Create one with: counterpi acp-key create --name NAME\n');
      for (const k of all) {
        const state = k.revokedAt === undefined ? 'active' : `revoked ${new Date(k.revokedAt).toISOString()}`;
        io.stdout.write(`${k.id}  ${k.name}  …${k.hint}  ${new Date(k.createdAt).toISOString()}  ${state}\n`);
      }
      return 0;
    }
    const [id] = rest;
    if (action === 'revoke' && id !== undefined && rest.length === 1) {
      const key = store.transaction(() => {
        const revoked = keys.revoke(id);
        ownerAudit(store).record(ownerAction('acp-key.revoke', revoked.id));
        return revoked;
      });
      io.stderr.write(`Revoked ${key.id} ("${key.name}"): the ACP API refuses it from now on.\n`);
      return 0;
    }
    io.stderr.write(ACP_KEY_USAGE);
    return 2;
  } finally {
    store.close();
  }
}
