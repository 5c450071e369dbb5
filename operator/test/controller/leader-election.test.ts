import type { V1Lease } from '@kubernetes/client-node';
import {
  DEFAULT_LEASE_TIMINGS,
  electionStep,
  validateLeaseTimings,
  type Observation,
} from '../../src/controller/leader-election.js';

const wall = new Date('2026-06-10T10:00:00Z');
const lease = (
  holderIdentity: string | undefined,
  renewTime: string,
  transitions = 3,
): V1Lease => ({
  metadata: { name: 'l', namespace: 'n', resourceVersion: '7' },
  spec: {
    ...(holderIdentity ? { holderIdentity } : {}),
    leaseDurationSeconds: 15,
    renewTime: renewTime as unknown as Date,
    acquireTime: '2026-06-10T09:00:00.000000Z' as unknown as Date,
    leaseTransitions: transitions,
  },
});
const step = (l: V1Lease | null, nowMs: number, observation?: Observation, identity = 'b') =>
  electionStep({ lease: l, identity, observation, nowMs, wallNow: wall, leaseDurationMs: 15_000 });

describe('electionStep (client-go tryAcquireOrRenew)', () => {
  it('no Lease: create one held by us', () => {
    const { action } = step(null, 0);
    expect(action).toMatchObject({
      kind: 'create',
      spec: { holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 0 },
    });
  });

  it('a live holder is followed until its record has not changed for leaseDuration, by OUR clock', () => {
    const held = lease('a', '2026-06-10T09:59:59.000000Z');
    const first = step(held, 1_000);
    expect(first.action).toEqual({ kind: 'follow', holder: 'a' });
    expect(first.observation.observedAtMs).toBe(1_000);
    // The record's renewTime is old by the wall clock; it does not matter, only our observation.
    expect(step(held, 15_999, first.observation).action.kind).toBe('follow');
    const taken = step(held, 16_000, first.observation).action;
    expect(taken).toMatchObject({
      kind: 'update',
      spec: { holderIdentity: 'b', leaseTransitions: 4 },
    });
  });

  it('a renewal by the holder restarts the wait', () => {
    const first = step(lease('a', '2026-06-10T09:59:59.000000Z'), 1_000);
    const renewed = step(lease('a', '2026-06-10T10:00:09.000000Z'), 10_000, first.observation);
    expect(renewed.observation.observedAtMs).toBe(10_000);
    expect(
      step(lease('a', '2026-06-10T10:00:09.000000Z'), 20_000, renewed.observation).action.kind,
    ).toBe('follow');
  });

  it('our own Lease is renewed at once, keeping acquireTime and the transition count', () => {
    const { action } = step(lease('b', '2026-06-10T09:59:59.000000Z'), 0);
    expect(action.kind).toBe('update');
    const spec = (action as { spec: V1Lease['spec'] }).spec!;
    expect(spec.leaseTransitions).toBe(3);
    expect(String(spec.acquireTime)).toBe('2026-06-10T09:00:00.000000Z');
    expect(spec.renewTime?.getTime()).toBe(wall.getTime());
  });

  it('a released Lease (no holder) is taken at once', () => {
    expect(step(lease(undefined, '2026-06-10T09:59:59.000000Z'), 0).action.kind).toBe('update');
  });
});

describe('validateLeaseTimings (client-go NewLeaderElector checks)', () => {
  it('accepts the defaults', () => {
    expect(validateLeaseTimings(DEFAULT_LEASE_TIMINGS)).toEqual([]);
  });

  it('names the setting at fault', () => {
    const names = {
      leaseDurationMs: 'LEASE_DURATION_SECONDS',
      renewDeadlineMs: 'RENEW_DEADLINE_SECONDS',
      retryPeriodMs: 'RETRY_PERIOD_SECONDS',
    };
    expect(
      validateLeaseTimings(
        { leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
        names,
      ),
    ).toEqual(['LEASE_DURATION_SECONDS must be greater than RENEW_DEADLINE_SECONDS']);
    expect(
      validateLeaseTimings(
        { leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 },
        names,
      ),
    ).toEqual(['RENEW_DEADLINE_SECONDS must be greater than 1.2 × RETRY_PERIOD_SECONDS']);
    expect(
      validateLeaseTimings(
        { leaseDurationMs: Number.NaN, renewDeadlineMs: 2_000, retryPeriodMs: 1_000 },
        names,
      ),
    ).toEqual(['LEASE_DURATION_SECONDS must be positive']);
  });
});
