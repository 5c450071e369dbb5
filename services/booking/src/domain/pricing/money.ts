/** Integer-cent arithmetic. Rates are basis points (1 % = 100 bp) so that 5.5 % stays an integer. */

export const BASIS_POINTS_PER_UNIT = 10_000;

/**
 * `cents × basisPoints / 10 000`, rounded half-up (away from zero for the half, amounts are
 * never negative here). Exact as long as `cents × basisPoints` stays below 2^53; the input
 * bounds of the quote (see MAX_* in quote.ts) keep it below 10^15.
 */
export function applyBasisPoints(cents: number, basisPoints: number): number {
  assertNonNegativeInteger(cents, 'cents');
  assertNonNegativeInteger(basisPoints, 'basisPoints');
  const scaled = cents * basisPoints;
  return Math.floor((scaled + BASIS_POINTS_PER_UNIT / 2) / BASIS_POINTS_PER_UNIT);
}

/** 12.5 → 1250 bp; refuses anything finer than a hundredth of a percent. */
export function percentToBasisPoints(percent: number): number {
  const basisPoints = Math.round(percent * 100);
  if (!Number.isFinite(percent) || Math.abs(basisPoints - percent * 100) > 1e-9) {
    throw new RangeError(`percent must have at most two decimals, got ${percent}`);
  }
  return basisPoints;
}

/** 1250 → "12.5 %" — for human-readable rule details only, never for arithmetic. */
export function formatBasisPoints(basisPoints: number): string {
  return `${basisPoints / 100} %`;
}

/** 12345 → "123.45 EUR" — for human-readable rule details only. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} EUR`;
}

export function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
