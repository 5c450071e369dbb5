import { describe, expect, it } from '@jest/globals';
import { PeakTime } from '@tourkit/cdk8s/profiles';
import { renderSvg } from '@tourkit/observability';
import { checkAgainstPolicy, checkBehavior, liveTargets } from '../src/policy-check.js';
import { scalingChartSpec, scalingMarkdown } from '../src/scaling-report.js';
import { hpaSample } from './hpa-samples.js';

function sample(at: number, current: number, cpu: number, desired: number, scaled: string) {
  return hpaSample(at, current, cpu, desired, {
    metrics: [
      { name: 'cpu', utilization: cpu, averageValue: '100m' },
      { name: 'memory', utilization: 40 },
    ],
    lastScaleTime: scaled,
  });
}

// A run whose HPA did what the peak-time policy says: held for the window, then 2 → 3 → 5.
const followed = [
  sample(0, 2, 60, 2, 'deploy'),
  sample(10, 2, 200, 2, 'deploy'),
  sample(65, 2, 200, 3, 'up1'),
  sample(70, 3, 200, 3, 'up1'),
  sample(130, 3, 200, 5, 'up2'),
];

describe('checkAgainstPolicy', () => {
  it("passes a run whose every step is the policy's", () => {
    const check = checkAgainstPolicy('booking', followed, PeakTime, 5);
    expect(check.verdicts.map((v) => [v.passed, v.observed])).toEqual([
      [true, '5 samples with metrics'],
      [true, '2 of 2 steps (2 up, 0 down)'],
    ]);
  });

  it('fails a run that scaled before the stabilization window allowed', () => {
    // The HPA went to 3 at t=10, 55 s before the policy lets it.
    const early = followed.map((s) => (s.atSeconds === 10 ? { ...s, desiredReplicas: 3 } : s));
    const check = checkAgainstPolicy('booking', early, PeakTime, 5);
    expect(check.verdicts[1]).toMatchObject({ passed: false });
    expect(check.matches.filter((m) => !m.matched)).not.toHaveLength(0);
  });
});

describe('the live HPA targets', () => {
  it("are read from its metric spec, so a node's scaled CPU target is the one replayed", () => {
    const metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 280 } },
      },
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
      },
      { type: 'Pods' },
    ];
    expect(liveTargets(metrics)).toEqual({ cpu: 280, memory: 80 });
  });

  it('judge the replay: 200 % is above the profile target of 70 % but below a 280 % one', () => {
    // At t=10 two pods at 200 %: the profile's target asks for more, a 280 % target does not.
    const asProfile = checkAgainstPolicy('booking', followed, PeakTime, 5);
    const asLive = checkAgainstPolicy('booking', followed, PeakTime, 5, { cpu: 280, memory: 80 });
    expect(asProfile.replay[1]!.recommendation).toBeGreaterThan(2);
    expect(asLive.replay[1]!.recommendation).toBeLessThanOrEqual(2);
    // So the HPA's steps up in these samples are not the ones the live target predicts.
    expect(asLive.verdicts[1]).toMatchObject({ passed: false });
  });
});

describe('checkBehavior', () => {
  const live = {
    scaleUp: {
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
    },
    scaleDown: {
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
    },
  };

  it("accepts the live HPA that carries the profile's behavior", () => {
    expect(checkBehavior('booking', PeakTime, live).every((v) => v.passed)).toBe(true);
  });

  it('names the direction that differs (a test-shortened scale-down)', () => {
    const shortened = {
      ...live,
      scaleDown: {
        stabilizationWindowSeconds: 30,
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    };
    const verdicts = checkBehavior('booking', PeakTime, shortened);
    expect(verdicts.map((v) => v.passed)).toEqual([true, false]);
    expect(verdicts[1]!.observed).toBe('live HPA: 100 %/15 s after 30 s');
  });
});

describe('the report', () => {
  const check = checkAgainstPolicy('booking', followed, PeakTime, 5);
  const input = {
    workload: 'booking',
    samples: followed,
    replay: check.replay,
    matches: check.matches,
    rates: {
      'booking-peak': [
        { atSeconds: 0, perSecond: 1.5 },
        { atSeconds: 60, perSecond: 9.5 },
      ],
    },
    targets: check.targets,
    toleranceSeconds: 5,
    startedAt: '2026-12-07T18:00:00.000Z',
    description: 'booking-peak for 300 s',
  };

  it('tabulates load, utilization, replicas and both decisions, and each step', () => {
    const markdown = scalingMarkdown(input, 30);
    const [, timelineBlock, , stepsBlock] = markdown.split('```');
    const timeline = timelineBlock!.split('\n').filter((l) => /^\d+ /.test(l));
    // Every 30 s, and at each change of a decision (65 s, 130 s).
    expect(timeline.map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['0', '1.5'],
      ['65', '9.5'],
      ['130', '9.5'],
    ]);
    expect(timeline[1]).toMatch(/200 %\s+40 %\s+2\/2\s+2–15\s+3\s+3\s+scale-up rate policy/);
    expect(stepsBlock).toMatch(/3\s+65 s\s+65 s\s+0 s\s+yes/);
    expect(stepsBlock).toMatch(/5\s+130 s\s+130 s\s+0 s\s+yes/);
  });

  it('draws the three charts as one SVG', async () => {
    const svg = await renderSvg(scalingChartSpec(input));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of [
      'booking-peak',
      'cpu % of requests',
      'HPA decided',
      'policy predicts',
      'ready pods',
    ])
      expect(svg).toContain(text);
  });
});
