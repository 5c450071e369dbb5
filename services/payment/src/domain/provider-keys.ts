// The keys the provider sees: a charge and a refund with the same Idempotency-Key are different
// operations to it, so each kind has its own prefix.

/** The provider key of a charge's Idempotency-Key (README, "States"): every attempt and the reconciler use it. */
export const providerChargeKey = (key: string) => `charge:${key}`;

/** The provider key of a refund's Idempotency-Key: every attempt and the reconciler use it. */
export const providerRefundKey = (key: string) => `refund:${key}`;
