/**
 * The payment provider adapter. Every call carries an idempotency key that the provider honours
 * (as real providers do): the same key returns the same operation, never a second one.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ProviderResult>;
  refund(request: RefundRequest): Promise<ProviderResult>;
  /**
   * The operation the provider carried out under `idempotencyKey`, or null when it never saw the
   * key (then a new call with the key is the first). Throws when the provider cannot be asked.
   * The reconciler settles unknown outcomes with it.
   */
  lookup(idempotencyKey: string): Promise<ProviderOperation | null>;
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

export interface ProviderOperation {
  kind: 'charge' | 'refund';
  providerRef: string;
  amountCents: number;
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

/**
 * The call was sent but no answer came back (timeout, connection lost after sending): the provider
 * may or may not have carried it out. Only a lookup by idempotency key can tell.
 */
export class ProviderOutcomeUnknownError extends Error {
  constructor(message = 'payment provider outcome unknown') {
    super(message);
    this.name = 'ProviderOutcomeUnknownError';
  }
}
