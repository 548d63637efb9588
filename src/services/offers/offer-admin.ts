import { AppError } from '../../domain/app-error.js';
import { inOfferWindow } from '../../domain/automatic-offers.js';
import type { ShopCalendar } from '../../domain/shop-calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { Store } from '../../store/database.js';
import type { StoredOffer } from '../../store/offer-rules.js';
import type {
  BatchRecord,
  OfferRecord,
  OffersAdminRepo,
  OfferTakings,
} from '../../store/offers-admin-repo.js';
import type { OffersRepo } from '../../store/offers-repo.js';
import { codesCsv, generateCodes } from './code-batch.js';

/** An offer's rule as the owner's pages edit it. */
export type OfferRule = StoredOffer;

/** A batch of single-use codes as the owner's pages list it. */
export type CodeBatch = BatchRecord;

/** Where an offer stands now. */
export type OfferStatus = 'active' | 'scheduled' | 'paused' | 'expired';

/** An offer as the owner's list shows it. */
export interface OfferListing extends OfferRecord {
  readonly status: OfferStatus;
  readonly takings: OfferTakings;
}

/** The owner's side of offers: list with status and takings, create, edit, pause, codes and batches. */
export interface OfferAdmin {
  list(): OfferListing[];
  get(offerId: string): OfferListing | undefined;
  /** Saves a new offer (`id` unused) or replaces an existing one's rule. */
  save(offer: StoredOffer, isNew: boolean): void;
  setPaused(offerId: string, paused: boolean): boolean;
  /** Adds a code typed by hand to a promo-code offer; refused when the code exists already. */
  addCode(offerId: string, code: string): void;
  /** Makes a batch of single-use codes; returns the batch id. */
  createBatch(offerId: string, count: number, prefix: string): string;
  codesOf(offerId: string): { code: string; used: number }[];
  batchesOf(offerId: string): BatchRecord[];
  /** The batch's codes as CSV, or undefined when there is no such batch. */
  batchCsv(batchId: string): { csv: string; batch: BatchRecord } | undefined;
  /** Whether a code exists already, in any case. */
  codeTaken(code: string): boolean;
  /** Whether an id is free for a new offer. */
  idFree(offerId: string): boolean;
}

export interface OfferAdminDeps {
  readonly store: Store;
  readonly offers: OffersRepo;
  readonly admin: OffersAdminRepo;
  readonly calendar: () => Pick<ShopCalendar, 'localParts'>;
  readonly clock: Clock;
  readonly ids: Ids;
}

const NOTHING: OfferTakings = { uses: 0, discount: 0, revenue: 0 };

/** Active now, scheduled (a happy hour out of its hours, a code not started), paused or expired. */
export function offerStatus(
  record: OfferRecord,
  now: Date,
  calendar: Pick<ShopCalendar, 'localParts'>,
): OfferStatus {
  if (record.paused) return 'paused';
  const { stored } = record;
  if (stored.kind === 'promo_code') {
    if (stored.offer.validUntil !== undefined && now >= stored.offer.validUntil) return 'expired';
    if (stored.offer.validFrom !== undefined && now < stored.offer.validFrom) return 'scheduled';
  }
  if (stored.kind === 'automatic' && stored.offer.kind === 'happy_hour') {
    const local = calendar.localParts(now);
    return stored.offer.windows.some((w) => inOfferWindow(w, local)) ? 'active' : 'scheduled';
  }
  return 'active';
}

/** Creates the owner's offer service. */
export function createOfferAdmin(deps: OfferAdminDeps): OfferAdmin {
  const { store, offers, admin, clock } = deps;
  const listing = (record: OfferRecord, takings: Map<string, OfferTakings>): OfferListing => ({
    ...record,
    status: offerStatus(record, clock.now(), deps.calendar()),
    takings: takings.get(record.stored.offer.id) ?? NOTHING,
  });
  const promoOffer = (offerId: string) => {
    const record = admin.get(offerId);
    if (record?.stored.kind !== 'promo_code') {
      throw new AppError('not_found', `There is no promo-code offer ${offerId}.`);
    }
    return record;
  };
  return {
    list() {
      const takings = admin.takings();
      return admin.all().map((record) => listing(record, takings));
    },
    get(offerId) {
      const record = admin.get(offerId);
      return record === undefined ? undefined : listing(record, admin.takings());
    },
    save(offer, isNew) {
      if (isNew) offers.insert(offer, clock.now().getTime(), admin.all().length);
      else if (!offers.update(offer)) throw new AppError('not_found', `There is no offer ${offer.offer.id}.`);
    },
    setPaused: (offerId, paused) => offers.setPaused(offerId, paused),
    addCode(offerId, code) {
      promoOffer(offerId);
      const key = code.trim().toUpperCase();
      if (admin.codeTaken(key)) {
        throw new AppError('invalid_input', `The code ${key} exists already; choose another.`);
      }
      offers.addCodes(offerId, [{ id: deps.ids.next('code'), code }], clock.now().getTime());
    },
    createBatch(offerId, count, prefix) {
      promoOffer(offerId);
      return store.transaction(() => {
        const codes = generateCodes(count, prefix, (code) => admin.codeTaken(code));
        const batchId = deps.ids.next('batch');
        const rows = codes.map((code) => ({ id: deps.ids.next('code'), code }));
        offers.addCodes(offerId, rows, clock.now().getTime(), batchId);
        return batchId;
      });
    },
    codesOf: (offerId) => admin.codesOf(offerId),
    batchesOf: (offerId) => admin.batchesOf(offerId),
    batchCsv(batchId) {
      const batch = admin.batch(batchId);
      if (batch === undefined) return undefined;
      return { batch, csv: codesCsv(offers.batchCodes(batchId).map((c) => c.code)) };
    },
    idFree: (offerId) => admin.get(offerId) === undefined,
    codeTaken: (code) => admin.codeTaken(code.trim().toUpperCase()),
  };
}
