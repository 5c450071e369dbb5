import { describe, expect, it } from '@jest/globals';
import { PeakTime, ReadHeavy, Steady } from '@tourkit/cdk8s/profiles';
import type { WorkloadSample } from '../src/samples.js';
import { sampleFromDeployment, sampleFromHpa } from '../src/samples.js';
import { checkScaling } from '../src/scaling-rules.js';
import { timelineTable, verdictTable } from '../src/table.js';

function hpa(
  workload: string,
  at: number,
  current: number,
  min: number,
  max: number,
  desired = current,
): WorkloadSample {
  return {
    atSeconds: at,
    workload,
    source: 'hpa',
    currentReplicas: current,
    desiredReplicas: desired,
    minReplicas: min,
    maxReplicas: max,
  };
}
function deployment(workload: string, at: number, ready: number, wanted = ready): WorkloadSample {
  return {
    atSeconds: at,
    workload,
    source: 'deployment',
    currentReplicas: ready,
    desiredReplicas: wanted,
  };
}

/** A run that did what the profiles promise: booking 2 → 6, catalog ≥ 4, user at 3. */
function healthyRun(): WorkloadSample[] {
  return [0, 30, 60, 90].flatMap((at, i) => [
    hpa('booking', at, [2, 3, 5, 6][i]!, 2, 15),
    hpa('catalog', at, [4, 4, 5, 4][i]!, 4, 10),
    deployment('user', at, 3),
  ]);
}

const failedRules = (samples: WorkloadSample[]) =>
  checkScaling(samples, undefined, { graceSeconds: 60 })
    .filter((v) => !v.passed)
    .map((v) => `${v.workload}: ${v.rule}`);

describe('checkScaling against the cdk8s profiles', () => {
  it('uses the profiles’ numbers', () => {
    expect([
      PeakTime.autoscaling?.maxReplicas,
      ReadHeavy.autoscaling?.minReplicas,
      Steady.replicas,
    ]).toEqual([15, 4, 3]);
  });

  it('passes a run that scaled booking up within its bounds, kept catalog ≥ 4 and user at 3', () => {
    const verdicts = checkScaling(healthyRun());
    expect(verdicts.filter((v) => !v.passed)).toEqual([]);
    expect(verdicts.find((v) => v.rule === 'scaled up under the peak')?.observed).toBe('2 → 6');
  });

  it('fails booking when it did not scale up, or went above 15', () => {
    const flat = healthyRun().map((s) =>
      s.workload === 'booking' ? { ...s, currentReplicas: 2, desiredReplicas: 2 } : s,
    );
    expect(failedRules(flat)).toEqual(['booking: scaled up under the peak']);

    const runaway = [...healthyRun(), hpa('booking', 120, 15, 2, 15, 16)];
    expect(failedRules(runaway)).toEqual(['booking: never above max 15']);
  });

  it('fails booking below a scheduled minimum once the grace period is over, not during it', () => {
    // A window raised the minimum to 5 at 30 s; replicas followed only at 120 s.
    const lagging = [
      hpa('booking', 0, 2, 2, 4),
      hpa('booking', 30, 2, 5, 10),
      hpa('booking', 60, 3, 5, 10),
      hpa('booking', 120, 4, 5, 10),
      hpa('booking', 150, 6, 5, 10),
    ];
    const others = healthyRun().filter((s) => s.workload !== 'booking');
    expect(failedRules([...lagging, ...others])).toEqual([
      'booking: never below the scheduled min',
    ]);
    const prompt = lagging.map((s) => (s.atSeconds === 120 ? { ...s, currentReplicas: 5 } : s));
    expect(failedRules([...prompt, ...others])).toEqual([]);
  });

  it('fails catalog under 4 and user away from 3 or autoscaled', () => {
    const run = healthyRun().map((s) => {
      if (s.workload === 'catalog' && s.atSeconds === 60) return { ...s, currentReplicas: 3 };
      if (s.workload === 'user' && s.atSeconds === 30) return { ...s, currentReplicas: 2 };
      return s;
    });
    expect(failedRules(run)).toEqual(['catalog: never below min 4', 'user: stayed at 3 replicas']);
    const userHpa = healthyRun().map((s) =>
      s.workload === 'user' ? { ...s, source: 'hpa' as const } : s,
    );
    expect(failedRules(userHpa)).toEqual(['user: no autoscaler']);
  });

  it('fails a workload that was never observed', () => {
    expect(failedRules(healthyRun().filter((s) => s.workload !== 'catalog'))).toEqual([
      'catalog: observed during the run',
    ]);
  });
});

describe('samples and tables', () => {
  it('reads an HPA and a Deployment as the API returns them', () => {
    expect(
      sampleFromHpa(
        {
          metadata: { name: 'booking' },
          spec: { maxReplicas: 15 },
          status: { currentReplicas: 3, desiredReplicas: 5 },
        },
        10,
      ),
    ).toEqual({
      atSeconds: 10,
      workload: 'booking',
      source: 'hpa',
      currentReplicas: 3,
      desiredReplicas: 5,
      minReplicas: 1,
      maxReplicas: 15,
    });
    expect(
      sampleFromDeployment(
        { metadata: { name: 'user' }, spec: { replicas: 3 }, status: { replicas: 3 } },
        0,
      ),
    ).toMatchObject({
      currentReplicas: 0, // none ready yet
      desiredReplicas: 3,
    });
  });

  it('prints replicas over time and the verdicts', () => {
    const samples = healthyRun();
    expect(timelineTable(samples, ['booking', 'catalog', 'user']).split('\n')[2]).toBe(
      '0s   2/2 [2-15]  4/4 [4-10]  3/3',
    );
    expect(verdictTable(checkScaling(samples))).toContain('booking   scaled up under the peak');
  });
});
