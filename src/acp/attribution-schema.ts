import { z } from 'zod';
import { type AffiliateAttribution, piiPath } from '../domain/affiliate-attribution.js';
import { AppError, type ErrorCode } from '../domain/app-error.js';

/** Limits the RFC allows (§4.2.2: "Implementations MAY enforce limits (e.g., ≤ 20 keys, ≤ 4KB total)"). */
const MAX_METADATA_KEYS = 20;
const MAX_METADATA_BYTES = 4096;

const scoped = z.string().min(1).max(256);
const rfc3339 = z.iso.datetime({ offset: true });

/** Issues this schema raises itself carry the AppError code the RFC names for them in `params.code`. */
function issue(ctx: z.RefinementCtx, code: ErrorCode, path: readonly string[], message: string): void {
  ctx.addIssue({ code: 'custom', path: [...path], message, params: { code } });
}

/**
 * `affiliate_attribution` of the create and complete requests (affiliate attribution RFC §4.2,
 * `AffiliateAttribution` of schema.agentic_checkout.json): `provider` required, `token` or
 * `publisher_id` (§4.2.3), `metadata` a flat map of strings, numbers and booleans, and no obvious
 * personal data (§6.2, §7.4). Unknown fields are dropped, not refused (§8.2: "Validators SHOULD be
 * lenient for unknown optional fields"), so nothing unchecked is stored.
 */
export const affiliateAttribution = z
  .object({
    provider: scoped,
    token: z.string().min(1).max(4096).optional(),
    publisher_id: scoped.optional(),
    campaign_id: scoped.optional(),
    creative_id: scoped.optional(),
    sub_id: z.string().max(1024).optional(),
    touchpoint: z.enum(['first', 'last']).optional(),
    source: z
      .object({ type: z.enum(['url', 'platform', 'unknown']), url: z.url().max(2048).optional() })
      .strict()
      .optional(),
    issued_at: rfc3339.optional(),
    expires_at: rfc3339.optional(),
    // Sized as a whole below (keys and values together), so a long value is not taken for a wrong type.
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .superRefine((claim: AffiliateAttribution, ctx) => {
    if (claim.token === undefined && claim.publisher_id === undefined) {
      issue(ctx, 'invalid_type', [], 'affiliate_attribution needs a token or a publisher_id.');
    }
    const metadata = claim.metadata ?? {};
    if (
      Object.keys(metadata).length > MAX_METADATA_KEYS ||
      Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES
    ) {
      issue(
        ctx,
        'invalid_input',
        ['metadata'],
        `affiliate_attribution.metadata holds at most ${MAX_METADATA_KEYS} keys and ${MAX_METADATA_BYTES} bytes.`,
      );
    }
    const pii = piiPath(claim);
    if (pii !== undefined) {
      issue(
        ctx,
        'pii_not_allowed',
        pii,
        'affiliate_attribution fields must not contain personally identifiable information.',
      );
    }
  });

/**
 * A zod issue inside `affiliate_attribution` as the AppError the RFC's §6 answer is made from: 400 with
 * `invalid_type` for a structural problem (wrong types, nested `metadata`, missing `provider`, §6.1),
 * `pii_not_allowed` for personal data (§6.2), `invalid` for a limit; `param` points at the field.
 */
export function attributionError(problem: z.core.$ZodIssue): AppError {
  const path = problem.path.map(String);
  const where = path.join('.');
  const own = problem.code === 'custom' ? (problem.params?.code as ErrorCode | undefined) : undefined;
  const limit = problem.code === 'too_big' || problem.code === 'too_small';
  const code: ErrorCode = own ?? (limit ? 'invalid_input' : 'invalid_type');
  const missing = problem.code === 'invalid_type' && problem.input === undefined;
  const message =
    own !== undefined
      ? problem.message
      : missing
        ? `${where} is required.`
        : path[1] === 'metadata' && path.length === 3
          ? 'affiliate_attribution.metadata values must be strings, numbers, or booleans.'
          : `${where}: ${problem.message}`;
  return new AppError(code, message, { violations: [{ code, message, path: where }] });
}
