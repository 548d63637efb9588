/** The card an agent delegates (ACP `PaymentMethodCard`), in the fields the vault looks at. */
export interface DelegateCard {
  readonly numberType: 'fpan' | 'network_token';
  readonly number: string;
  /** `"01"`–`"12"`. */
  readonly expMonth: string | undefined;
  /** Four digits. */
  readonly expYear: string | undefined;
  readonly cvc: string | undefined;
  readonly iin: string | undefined;
  readonly displayBrand: string | undefined;
  readonly displayLast4: string | undefined;
}

/** What the token may be spent on (ACP `Allowance`; `reason` is always `one_time`). */
export interface DelegateAllowance {
  /** Minor units. */
  readonly maxAmount: number;
  /** Lowercase ISO 4217. */
  readonly currency: string;
  readonly checkoutSessionId: string;
  readonly merchantId: string;
  readonly expiresAt: Date;
}

/** ACP `RiskSignal`: the agent platform's fraud verdict. */
export interface RiskSignal {
  readonly type: 'card_testing';
  readonly score: number;
  readonly action: 'blocked' | 'manual_review' | 'authorized';
}

/** A delegate payment request, checked for shape at the surface. */
export interface DelegateRequest {
  readonly card: DelegateCard;
  readonly allowance: DelegateAllowance;
  readonly riskSignals: readonly RiskSignal[];
  readonly metadata: Readonly<Record<string, string>>;
}
