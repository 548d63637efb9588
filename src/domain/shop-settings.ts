import type { Weekday } from './catalog.js';

/** An interval of local shop time, "HH:MM" to "HH:MM"; a close before the open runs past midnight. */
export interface TimeRange {
  readonly open: string;
  readonly close: string;
}

export interface OpeningHours {
  /** The shop's IANA time zone ("Europe/Paris"); every "HH:MM" is local to it. */
  readonly timezone: string;
  readonly weekly: Readonly<Record<Weekday, readonly TimeRange[]>>;
  /** Dates ("2026-12-25") that replace the weekly hours: an empty list means closed all day. */
  readonly exceptions: readonly {
    readonly date: string;
    readonly ranges: readonly TimeRange[];
    readonly note?: string;
  }[];
}

export interface TaxRate {
  readonly id: string;
  readonly name: string;
  /** Percent with up to three decimals (8.875 for 8.875 %). */
  readonly percent: number;
}

export interface TaxSettings {
  /** true: menu prices include tax (VAT); false: tax is added on top (US sales tax). */
  readonly inclusive: boolean;
  readonly defaultRateId: string;
  readonly rates: readonly TaxRate[];
}

export interface FeeSettings {
  /** A service fee on the item subtotal: a percent, or a fixed amount in minor units. */
  readonly serviceFee:
    | { readonly kind: 'none' }
    | { readonly kind: 'percent'; readonly percent: number }
    | {
        readonly kind: 'fixed';
        readonly amount: number;
      };
  readonly tips: { readonly enabled: boolean; readonly suggestedPercents: readonly number[] };
}

export interface PickupSettings {
  /** Minutes the kitchen needs before the earliest pickup. */
  readonly leadMinutes: number;
  /** Length of one pickup slot in minutes. */
  readonly slotMinutes: number;
  /** Orders one slot can take; 0 means no limit. */
  readonly slotCapacity: number;
  /** How many days ahead a customer may order. */
  readonly maxDaysAhead: number;
}

/** Local delivery: off until the owner turns it on and names the postal codes served. */
export interface DeliverySettings {
  readonly enabled: boolean;
  /** What a delivery costs the customer, in minor units. */
  readonly feeMinor: number;
  /** Smallest item subtotal (before tax and fees) delivered, in minor units; 0 for none. */
  readonly minimumMinor: number;
  /** The served area: an empty list delivers nowhere, so enabling needs at least one. */
  readonly postalCodes: readonly string[];
  /** Minutes for the trip, on top of the kitchen's lead time. */
  readonly leadMinutes: number;
}

/** Delivery of a shop that has never set it up (and of settings written before delivery existed). */
export const DELIVERY_DEFAULTS: DeliverySettings = {
  enabled: false,
  feeMinor: 0,
  minimumMinor: 0,
  postalCodes: [],
  leadMinutes: 30,
};

/** Where the nightly backups are copied off the SD card (the owner's choices on the Backups page). */
export interface BackupSettings {
  /** The mount point of the removable drive the owner picked; null for none (BACKUP_USB_DIR wins when set). */
  readonly usbMount: string | null;
  /** The folder on the rclone remote the copies go to. */
  readonly remoteFolder: string;
}

/** Backups of a shop that has never set them up (and of settings written before they existed). */
export const BACKUP_DEFAULTS: BackupSettings = { usbMount: null, remoteFolder: 'counterpi' };

/**
 * The shop's own mail server, for the receipt and "your order is ready" emails to customers who ask
 * for them. Off until the owner fills it in on Settings; no third party is involved.
 */
export interface EmailSettings {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
  /** `tls`: TLS from the first byte (port 465); `starttls`: upgraded, required (587); `none`: a server on the shop's own network. */
  readonly security: 'tls' | 'starttls' | 'none';
  readonly user: string;
  /** Kept to log in with; never shown again on a page, never logged, redacted in the audit log. */
  readonly password: string;
  /** The sender customers see ("Burger Bar <orders@burgerbar.com>"). */
  readonly from: string;
}

/** The day's close: at what local time (HH:MM) it happens by itself, or null when only the owner closes it. */
export interface DayCloseSettings {
  readonly autoCloseAt: string | null;
}

/** Email of a shop that has never set it up (and of settings written before email existed). */
export const EMAIL_DEFAULTS: EmailSettings = {
  enabled: false,
  host: '',
  port: 587,
  security: 'starttls',
  user: '',
  password: '',
  from: '',
};

export interface ShopProfile {
  readonly name: string;
  readonly address: string;
  readonly phone: string;
  readonly currency: string;
  /** BCP 47 tag used for money and time in messages ("en-US", "fr-FR"). */
  readonly locale: string;
}

export interface OrderLimits {
  /** Most units on one order, summed over every line. */
  readonly maxItemsPerOrder: number;
  /** Longest note a customer may attach to a line, in characters. */
  readonly maxNoteLength: number;
}

/** Every setting the owner edits after the first boot. They live in the store, not in env vars. */
export interface ShopSettings {
  readonly profile: ShopProfile;
  readonly hours: OpeningHours;
  /** The owner's or the switch's word: when true, ordering stops whatever the hours say. */
  readonly pausedByOwner: boolean;
  readonly pickup: PickupSettings;
  readonly delivery: DeliverySettings;
  readonly tax: TaxSettings;
  readonly fees: FeeSettings;
  readonly limits: OrderLimits;
  readonly gpio: {
    readonly ledPin: number;
    readonly buzzerPin: number;
    readonly bumpButtonPin: number;
    readonly openSwitchPin: number;
  };
  readonly printer: { readonly paperWidthMm: 58 | 80; readonly customerReceipt: boolean };
  readonly backups: BackupSettings;
  /** Absent in settings written before email existed: read back, it is EMAIL_DEFAULTS. */
  readonly email?: EmailSettings;
  /** Absent in settings written before the day's close existed: read back, it closes only by hand. */
  readonly dayClose?: DayCloseSettings;
}
