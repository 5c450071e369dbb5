/**
 * The payment provider adapter. Every call carries an idempotency key that the provider honours
 * (as real providers do): the same key returns the same operation, never a second one.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ProviderResult>;
  refund(request: RefundRequest): Promise<ProviderResult>;
  /** Resolves when the provider is reachable; throws otherwise (health check). */
  ping(): Promise<void>;
}

export interface ChargeRequest {
  idempotencyKey: string;
  amountCents: number;
  currency: 'EUR';
}

export interface RefundRequest {
  idempotencyKey: string;
  chargeRef: string;
  amountCents: number;
}

export interface ProviderResult {
  providerRef: string;
}

/** The provider could not be reached or failed: retrying later may succeed. */
export class ProviderUnavailableError extends Error {
  constructor(message = 'payment provider unavailable') {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider answered and refused the charge. */
export class PaymentDeclinedError extends Error {
  constructor(message = 'payment declined') {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}
