import type { Adapter } from 'oidc-provider';

/**
 * Which CIBA request waits on which confirmation request, both ways, kept in the provider's storage
 * for as long as the CIBA request lives (so a restart loses nothing).
 */
export interface CibaLinks {
  attach(cibaId: string, confirmationId: string, expiresIn: number): Promise<void>;
  /** The confirmation a CIBA client polls on (its `auth_req_id` is the provider's, not ours). */
  confirmationOf(cibaId: string): Promise<string | undefined>;
  /** The newest CIBA request waiting on a confirmation. */
  cibaOf(confirmationId: string): Promise<string | undefined>;
}

/** Links over two models of the provider's adapter. */
export function createCibaLinks(adapter: (model: string) => Adapter): CibaLinks {
  const byCiba = adapter('CibaConfirmation');
  const byConfirmation = adapter('ConfirmationCiba');
  const read = async (store: Adapter, id: string) => {
    const value = (await store.find(id))?.extra?.id;
    return typeof value === 'string' ? value : undefined;
  };
  return {
    async attach(cibaId, confirmationId, expiresIn) {
      await byCiba.upsert(cibaId, { extra: { id: confirmationId } }, expiresIn);
      await byConfirmation.upsert(confirmationId, { extra: { id: cibaId } }, expiresIn);
    },
    confirmationOf: (cibaId) => read(byCiba, cibaId),
    cibaOf: (confirmationId) => read(byConfirmation, confirmationId),
  };
}
