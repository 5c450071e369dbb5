// The HPA algorithm replayed: each expectation is worked out by hand from the Kubernetes rules
// (replica_calculator.go, horizontal.go) with booking's peak-time behavior.
import { describe, expect, it } from '@jest/globals';
import { PeakTime } from '@tourkit/cdk8s/profiles';
import {
  matchSteps,
  replayHpa,
  replicasForUtilization,
  scaleDownLimit,
  scaleUpLimit,
  stepsOf,
  type ReplayPolicy,
} from '../src/hpa-replay.js';
import { hpaSample } from './hpa-samples.js';

const policy: ReplayPolicy = {
  targets: { cpu: 70 },
  behavior: PeakTime.autoscaling!.behavior!,
};
const { scaleUp, scaleDown } = policy.behavior;

const sample = hpaSample;

describe('replicasForUtilization', () => {
  it('keeps the count within the 10 % tolerance, and scales by the usage ratio outside it', () => {
    expect(replicasForUtilization(75, 70, 2, 2, 0.1)).toBe(2); // ratio 1.07
    expect(replicasForUtilization(140, 70, 2, 2, 0.1)).toBe(4); // ratio 2
    expect(replicasForUtilization(20, 70, 6, 6, 0.1)).toBe(2); // ceil(0.29 × 6)
  });

  it('counts pods that are not ready at zero usage when scaling up', () => {
    // 2 of 4 ready at 140 %: (140 × 2 / 4) / 70 = 1.0, within tolerance, so no new pods yet.
    expect(replicasForUtilization(140, 70, 4, 2, 0.1)).toBe(4);
    // 2 of 3 ready at 210 %: (210 × 2 / 3) / 70 = 2, so ceil(2 × 3) = 6.
    expect(replicasForUtilization(210, 70, 3, 2, 0.1)).toBe(6);
  });
});

describe('rate limits of the peak-time behavior', () => {
  it('scale-up: 50 % a minute of the count at the period start', () => {
    expect(scaleUpLimit(2, [], [], scaleUp, 100)).toBe(3);
    expect(scaleUpLimit(4, [], [], scaleUp, 100)).toBe(6);
    // 1 pod added 30 s ago: the period started at 2, so 3 is the ceiling and 3 pods stay.
    expect(scaleUpLimit(3, [{ at: 70, value: 1 }], [], scaleUp, 100)).toBe(3);
    // That pod was added 61 s ago: a new period, from 3.
    expect(scaleUpLimit(3, [{ at: 39, value: 1 }], [], scaleUp, 100)).toBe(5);
  });

  it('scale-down: one pod every 120 s', () => {
    expect(scaleDownLimit(5, [], [], scaleDown, 1000)).toBe(4);
    expect(scaleDownLimit(4, [], [{ at: 950, value: 1 }], scaleDown, 1000)).toBe(4);
    expect(scaleDownLimit(4, [], [{ at: 870, value: 1 }], scaleDown, 1000)).toBe(3);
  });
});

describe('replayHpa', () => {
  it('holds a scale-up for the 60 s window, then adds 50 % a minute', () => {
    const series = [
      sample(0, 2, 60, 2, { lastScaleTime: 'deploy' }),
      sample(10, 2, 200, 2, { lastScaleTime: 'deploy' }), // asks for 6; the window still holds 2
      sample(65, 2, 200, 3, { lastScaleTime: 'up1' }), // the 2 of t=0 left the window: 50 % → 3
      sample(70, 3, 200, 3, { lastScaleTime: 'up1' }), // asks for 9; 3 reached this period
      sample(130, 3, 200, 5, { lastScaleTime: 'up2' }), // a new period from 3: ceil(4.5) = 5
    ];
    const points = replayHpa(series, policy);
    expect(points.map((p) => p.predicted)).toEqual([2, 2, 3, 3, 5]);
    expect(points.map((p) => p.recommendation)).toEqual([2, 6, 6, 9, 9]);
    expect(points[1]!.reason).toBe('stabilization window');
    expect(points[2]!.reason).toBe('scale-up rate policy');
  });

  it('waits 300 s after the last high recommendation, then removes one pod per 120 s', () => {
    const high = sample(0, 5, 70, 5, { lastScaleTime: 'up' });
    const quiet = (at: number, current: number, desired: number, scaled: string) =>
      sample(at, current, 10, desired, { lastScaleTime: scaled });
    const points = replayHpa(
      [
        high,
        quiet(100, 5, 5, 'up'),
        quiet(299, 5, 5, 'up'),
        quiet(301, 5, 4, 'down1'),
        quiet(360, 4, 4, 'down1'),
        quiet(422, 4, 3, 'down2'),
      ],
      policy,
    );
    // ceil(10 / 70 × 5) = 1, under min 2: the window keeps the 5 of t=0 until it is 300 s old.
    expect(points.map((p) => p.predicted)).toEqual([5, 5, 5, 4, 4, 3]);
    expect(points[4]!.reason).toBe('scale-down rate policy');
  });

  it('goes straight to the minimum when the schedule raises it above the count', () => {
    const points = replayHpa([sample(0, 2, 50, 4, { minReplicas: 4 })], policy);
    expect(points[0]).toMatchObject({ predicted: 4, reason: 'below min 4' });
  });

  it('skips samples without metrics (before the HPA first measured)', () => {
    const { metrics: _, ...bare } = sample(0, 2, 0, 2);
    expect(replayHpa([bare, sample(5, 2, 60, 2)], policy)).toHaveLength(1);
  });

  it('takes the highest of the metrics the policy targets', () => {
    const both: ReplayPolicy = { ...policy, targets: { cpu: 70, memory: 80 } };
    const s = sample(0, 2, 60, 2, {
      metrics: [
        { name: 'cpu', utilization: 60 },
        { name: 'memory', utilization: 160 },
      ],
    });
    expect(replayHpa([s], both)[0]!.recommendation).toBe(4);
    expect(replayHpa([s], policy)[0]!.recommendation).toBe(2);
  });
});

describe('matchSteps', () => {
  const steps = (pairs: [number, number][]) =>
    stepsOf(pairs.map(([atSeconds, value]) => ({ atSeconds, value })));

  it('pairs steps to the same count within the tolerance', () => {
    const observed = steps([
      [0, 2],
      [64, 3],
      [130, 5],
    ]);
    const predicted = steps([
      [0, 2],
      [60, 3],
      [130, 5],
    ]);
    expect(matchSteps(observed, predicted, 5)).toEqual([
      { to: 3, observedAt: 64, predictedAt: 60, lagSeconds: 4, matched: true },
      { to: 5, observedAt: 130, predictedAt: 130, lagSeconds: 0, matched: true },
    ]);
  });

  it('reports a step the policy did not predict, and one the cluster did not take', () => {
    const observed = steps([
      [0, 2],
      [20, 3],
    ]);
    const predicted = steps([
      [0, 2],
      [60, 3],
    ]);
    expect(matchSteps(observed, predicted, 15)).toEqual([
      { to: 3, observedAt: 20, matched: false },
      { to: 3, predictedAt: 60, matched: false },
    ]);
  });
});
