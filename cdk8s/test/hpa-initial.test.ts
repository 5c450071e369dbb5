// The HPA a ScalingSchedule manages: whole in the initial-HPA chart (created once), without its bounds in
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
    initial: built.hpaInitial ? (Testing.synth(built.hpaInitial) as K8sObject[]) : undefined,
    hpa,
  };
}

describe('initial HPAs for scheduled autoscalers', () => {
  it('the booking HPA is applied without bounds, and created whole once', () => {
    const { platform, initial, hpa } = charts(true);
    const applied = hpa(platform, 'booking')!;
    expect(applied.spec.minReplicas).toBeUndefined();
    expect(applied.spec.maxReplicas).toBeUndefined();
    expect(applied.spec.metrics).toHaveLength(2);
    expect(initial).toHaveLength(1);
    const created = hpa(initial!, 'booking')!;
    expect(created.spec).toEqual({
      scaleTargetRef: applied.spec.scaleTargetRef,
      minReplicas: 2,
      maxReplicas: 15,
    });
    expect(created.metadata).toEqual({ name: 'booking', namespace: 'tourkit' });
  });

  it('HPAs no schedule manages keep their bounds', () => {
    const { platform, hpa } = charts(true);
    expect([
      hpa(platform, 'catalog')!.spec.minReplicas,
      hpa(platform, 'catalog')!.spec.maxReplicas,
    ]).toEqual([4, 10]);
  });

  it('without the operator there is no initial HPA and booking keeps its bounds', () => {
    const { platform, initial, hpa } = charts(false);
    expect(initial).toBeUndefined();
    expect(hpa(platform, 'booking')!.spec.maxReplicas).toBe(15);
  });
});
