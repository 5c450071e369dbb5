// The HPA a ScalingSchedule manages: whole in the seed chart (created once), without its bounds in
// the platform chart (applied on every deploy), so a re-deploy never contests the controller.
import { App, Testing } from 'cdk8s';
import { resolveOptions } from '../src/options.js';
import { buildPlatform } from '../src/platform.js';
import { EXAMPLE_PUBLIC_URL, type K8sObject } from './synth.js';

function charts(operator: boolean) {
  const app: App = Testing.app();
  const built = buildPlatform(
    app,
    resolveOptions({ publicUrl: EXAMPLE_PUBLIC_URL, operator: { enabled: operator } }),
  );
  const hpa = (objects: K8sObject[], name: string) =>
    objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name);
  return {
    platform: Testing.synth(built.platform) as K8sObject[],
    seed: built.hpaSeed ? (Testing.synth(built.hpaSeed) as K8sObject[]) : undefined,
    hpa,
  };
}

describe('HPA seeds for scheduled autoscalers', () => {
  it('the booking HPA is applied without bounds, and seeded whole', () => {
    const { platform, seed, hpa } = charts(true);
    const applied = hpa(platform, 'booking')!;
    expect(applied.spec.minReplicas).toBeUndefined();
    expect(applied.spec.maxReplicas).toBeUndefined();
    expect(applied.spec.metrics).toHaveLength(2);
    expect(seed).toHaveLength(1);
    const seeded = hpa(seed!, 'booking')!;
    expect(seeded.spec).toEqual({
      scaleTargetRef: applied.spec.scaleTargetRef,
      minReplicas: 2,
      maxReplicas: 15,
    });
    expect(seeded.metadata).toEqual({ name: 'booking', namespace: 'tourkit' });
  });

  it('HPAs no schedule manages keep their bounds', () => {
    const { platform, hpa } = charts(true);
    expect([
      hpa(platform, 'catalog')!.spec.minReplicas,
      hpa(platform, 'catalog')!.spec.maxReplicas,
    ]).toEqual([4, 10]);
  });

  it('without the operator there is no seed and booking keeps its bounds', () => {
    const { platform, seed, hpa } = charts(false);
    expect(seed).toBeUndefined();
    expect(hpa(platform, 'booking')!.spec.maxReplicas).toBe(15);
  });
});
