import {
  chargeSettlement,
  claimDecision,
  reconcileAction,
  reconcileBefore,
  reconciledRefundSettlement,
  refundAmount,
  refundSettlement,
} from '../../src/domain/operations.js';

const now = new Date('2026-12-07T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const row = (status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'DECLINED', attemptedMsAgo = 0) => ({
  status,
  requestHash: 'h',
  attemptedAt: ago(attemptedMsAgo),
});

describe('claim decision', () => {
  test('no row: attempt; another body under the key: key-reused, whatever the status', () => {
    expect(claimDecision(null, 'h', now, 5_000)).toEqual({ kind: 'attempt' });
    for (const status of ['PENDING', 'SUCCEEDED', 'FAILED', 'DECLINED'] as const)
      expect(claimDecision(row(status), 'other', now, 5_000)).toEqual({ kind: 'key-reused' });
  });

  test('SUCCEEDED and DECLINED are final: replayed; FAILED is attempted again', () => {
    expect(claimDecision(row('SUCCEEDED'), 'h', now, 5_000)).toEqual({ kind: 'replay' });
    expect(claimDecision(row('DECLINED'), 'h', now, 5_000)).toEqual({ kind: 'replay' });
    expect(claimDecision(row('FAILED'), 'h', now, 5_000)).toEqual({ kind: 'attempt' });
  });

  test('PENDING within the in-flight window: wait until it ends; past it: pending (unknown)', () => {
    expect(claimDecision(row('PENDING', 1_000), 'h', now, 5_000)).toEqual({
      kind: 'wait',
      untilMs: now.getTime() + 4_000,
    });
    expect(claimDecision(row('PENDING', 5_000), 'h', now, 5_000)).toEqual({ kind: 'pending' });
    expect(claimDecision(row('PENDING', 60_000), 'h', now, 5_000)).toEqual({ kind: 'pending' });
  });

  test('the reconciler takes the PENDING rows claimed before now − its bound', () => {
    expect(reconcileBefore(now, 30_000)).toEqual(ago(30_000));
  });
});

describe('settlements', () => {
  test('a charge: carried out → SUCCEEDED, declined → DECLINED, not carried out → FAILED, unknown → none', () => {
    expect(chargeSettlement({ kind: 'carried-out', providerRef: 'r' })).toEqual({
      status: 'SUCCEEDED',
      providerRef: 'r',
    });
    expect(chargeSettlement({ kind: 'declined', message: 'no' })).toEqual({
      status: 'DECLINED',
      error: 'no',
    });
    expect(chargeSettlement({ kind: 'not-carried-out', message: 'down' })).toEqual({
      status: 'FAILED',
      error: 'down',
    });
    expect(chargeSettlement({ kind: 'unknown', message: 'timeout' })).toBeNull();
  });

  test('a refund is never DECLINED: a refusal is FAILED (its reservation given back)', () => {
    expect(refundSettlement({ kind: 'declined', message: 'no' })).toEqual({
      status: 'FAILED',
      error: 'no',
    });
    expect(refundSettlement({ kind: 'unknown', message: 'lost' })).toBeNull();
  });

  test("the reconciler's refund re-try: not carried out stays PENDING (no caller will ask again)", () => {
    expect(reconciledRefundSettlement({ kind: 'not-carried-out', message: 'down' })).toBeNull();
    expect(reconciledRefundSettlement({ kind: 'declined', message: 'no' })).toEqual({
      status: 'FAILED',
      error: 'no',
    });
    expect(reconciledRefundSettlement({ kind: 'carried-out', providerRef: 'r' })).toEqual({
      status: 'SUCCEEDED',
      providerRef: 'r',
    });
  });
});

describe('refund amount', () => {
  test('takes what is asked while it fits, what is left when nothing is asked', () => {
    expect(refundAmount(1_200, 0, 500)).toEqual({ kind: 'ok', amountCents: 500 });
    expect(refundAmount(1_200, 500, undefined)).toEqual({ kind: 'ok', amountCents: 700 });
    expect(refundAmount(1_200, 500, 700)).toEqual({ kind: 'ok', amountCents: 700 });
  });

  test('refuses more than is left, and an empty refund when nothing is', () => {
    expect(refundAmount(1_200, 500, 701)).toEqual({
      kind: 'exceeds-capture',
      amountCents: 701,
      refundableCents: 700,
    });
    expect(refundAmount(1_200, 1_200, undefined)).toEqual({
      kind: 'exceeds-capture',
      amountCents: 0,
      refundableCents: 0,
    });
    // Reserved beyond the capture (cannot happen, but never a negative refundable amount).
    expect(refundAmount(1_200, 1_300, 1)).toMatchObject({ refundableCents: 0 });
  });
});

test('reconcile: found at the provider → settle with its reference; never seen → retry', () => {
  expect(reconcileAction({ providerRef: 'sim_ch_1' })).toEqual({
    kind: 'settle',
    providerRef: 'sim_ch_1',
  });
  expect(reconcileAction(null)).toEqual({ kind: 'retry' });
});
