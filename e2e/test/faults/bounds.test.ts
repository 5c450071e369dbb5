import { createTestAuth } from '@tourkit/kit/testing';
import { TEST_TIMINGS } from '../support/platform.js';
import { FAULT_SUITE_ENV, faultBounds, loadFaultConfigs, settleDeadlineMs } from './bounds.js';

// The suite's waits follow the services' configuration: each test changes one variable and looks
// for the wait that must follow it.

const auth = createTestAuth();
const secrets: Record<string, string> = {
  INTERNAL_TOKEN: 'bounds-test-token',
  JWT_PUBLIC_KEY: auth.publicKeyPem,
  PAYMENT_LINK_SECRET: 'bounds-test-payment-link-secret-0123456789',
};

/** The env the suite gives each service (as platform.ts merges it), with `extra` on top. */
function boundsFor(extra: Record<string, Record<string, string>> = {}, graceMs = 0) {
  const env = (service: string) => ({
    ...secrets,
    ...TEST_TIMINGS[service],
    ...FAULT_SUITE_ENV[service],
    ...extra[service],
  });
  return faultBounds(loadFaultConfigs(env), graceMs);
}

describe('fault suite bounds', () => {
  test("the saga's bounds are booking's, and the settled check's grace is one reconciler round on top", () => {
    const bounds = boundsFor({}, 15_000);
    expect(bounds.saga).toEqual({
      seatReservationMs: 20_000,
      paymentUnknownMs: 20_000,
      graceMs: 1_000 + 15_000,
    });
  });

  test('a booking settles within the longest of its paths: the payment schedule with the suite’s env', () => {
    // 6 attempts × 2 s timeout + retries 0.2…3.2 s (6.2 s) + one breaker reset 8 s = 26.2 s,
    // longer than PAYMENT_UNKNOWN (20 s + reconcilers) and RESERVING_SEATS (20 s + 1 s).
    expect(boundsFor().bookingMs).toBe(26_200);
  });

  test.each([
    ['booking', 'PAYMENT_TIMEOUT_MS', '3000', 6 * 1_000],
    ['booking', 'PAYMENT_BREAKER_RESET_MS', '9000', 1_000],
    ['booking', 'PAYMENT_UNKNOWN_TIMEOUT_MS', '60000', 60_000 + 1_000 - 26_200],
    ['booking', 'OUTBOX_INTERVAL_MS', '1200', 1_000],
    ['notification', 'SEND_LEASE_MS', '11000', 1_000],
    ['notification', 'RECOVERY_INTERVAL_MS', '2000', 1_000],
  ])('%s %s=%s lengthens the settle wait by %d ms', (service, variable, value, longerMs) => {
    expect(boundsFor({ [service]: { [variable]: value } }).settleMs - boundsFor().settleMs).toBe(
      longerMs,
    );
  });

  test('a Redis outage adds booking’s stranded-payment wait and its re-enqueue round', () => {
    const bounds = boundsFor();
    expect(bounds.strandedSettleMs - bounds.settleMs).toBe(60_000 + 1_000);
  });

  test('retries met during an injection back off up to its duration: the settle wait grows by it', () => {
    expect(settleDeadlineMs(40_000, 7_000)).toBe(47_000);
  });

  test('slow charges: one payment timeout per round of payment workers (5), then the outbox pass', () => {
    const bounds = boundsFor();
    expect(bounds.slowChargesMs(10)).toBe(2 * 2_000 + 200);
    expect(bounds.slowChargesMs(11)).toBe(3 * 2_000 + 200);
  });

  test('without the suite’s env the waits are production-sized (PAYMENT_UNKNOWN 30 min)', () => {
    const env = (service: string) => ({ ...secrets, ...TEST_TIMINGS[service] });
    expect(faultBounds(loadFaultConfigs(env), 0).bookingMs).toBe(1_800_000 + 5_000);
  });
});
