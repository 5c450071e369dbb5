import { SERVICE_NAMES } from '../src/services.js';
import { Modest, PeakTime, ReadHeavy, Steady, withAutoscaling } from '../src/profiles.js';
import { synthPlatform, type Json } from './synth.js';

const { find, maybe, ofKind } = synthPlatform();
const cpuTarget = (hpa: Json) =>
  hpa.spec.metrics.find((m: Json) => m.resource.name === 'cpu')?.resource.target;
const memoryTarget = (hpa: Json) =>
  hpa.spec.metrics.find((m: Json) => m.resource.name === 'memory')?.resource.target;

describe('catalog: read-heavy', () => {
  const hpa = find('HorizontalPodAutoscaler', 'catalog');
  it('keeps at least 4 replicas and scales on CPU 70 %', () => {
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.minReplicas).toBe(4);
    expect(hpa.spec.maxReplicas).toBe(10);
    expect(cpuTarget(hpa)).toEqual({ type: 'Utilization', averageUtilization: 70 });
    expect(memoryTarget(hpa)).toBeUndefined();
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'catalog',
    });
  });
  it('reads from the replicas through the read-only Service and caches in Redis', () => {
    const env = find('Deployment', 'catalog').spec.template.spec.containers[0].env;
    expect(env.find((e: Json) => e.name === 'DATABASE_READ_URL').value).toBe(
      'postgres://tourkit:$(DB_PASSWORD)@catalog-db-ro.tourkit.svc:5432/tourkit_catalog',
    );
    expect(env.find((e: Json) => e.name === 'REDIS_URL').value).toBe(
      'redis://:$(REDIS_PASSWORD)@redis-cache.tourkit.svc:6379',
    );
    expect(find('StatefulSet', 'catalog-db').spec.replicas).toBe(1);
    expect(find('StatefulSet', 'catalog-db-replica').spec.replicas).toBe(3);
    expect(find('Service', 'catalog-db-ro').spec.selector['tourkit.dev/db-role']).toBe('replica');
    expect(find('Service', 'catalog-db-rw').spec.selector['tourkit.dev/db-role']).toBe('primary');
  });
});

describe('booking: peak-time', () => {
  const hpa = find('HorizontalPodAutoscaler', 'booking');
  it('scales between 2 and 15 on CPU 70 % and memory 80 %', () => {
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(15);
    expect(cpuTarget(hpa).averageUtilization).toBe(70);
    expect(memoryTarget(hpa)).toEqual({ type: 'Utilization', averageUtilization: 80 });
  });
  it('can come down from 3 pods on memory: an idle pod (115 MiB measured) under 2/3 of the target', () => {
    // A Node process's memory does not fall as pods are added: the HPA's ceil(n x use/target) only
    // drops below n when use/target < (n-1)/n.
    const request = find('Deployment', 'booking').spec.template.spec.containers[0].resources
      .requests.memory as string;
    expect(request).toMatch(/^\d+Mi$/);
    const target = (Number.parseInt(request, 10) * memoryTarget(hpa).averageUtilization) / 100;
    expect(115 / target).toBeLessThan(2 / 3);
  });
  it('scales up by 50 % per 60 s after a 60 s window, down by 1 pod per 120 s after 300 s', () => {
    expect(hpa.spec.behavior.scaleUp).toEqual({
      stabilizationWindowSeconds: 60,
      policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
    });
    expect(hpa.spec.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300,
      policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
    });
  });
  it('leaves the replica count to the autoscaler', () => {
    expect(find('Deployment', 'booking').spec.replicas).toBeUndefined();
  });
});

describe('user: steady', () => {
  it('runs 3 fixed replicas, no autoscaler, a PodDisruptionBudget', () => {
    expect(find('Deployment', 'user').spec.replicas).toBe(3);
    expect(maybe('HorizontalPodAutoscaler', 'user')).toBeUndefined();
    expect(find('PodDisruptionBudget', 'user').spec).toEqual({
      maxUnavailable: 1,
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'user', 'app.kubernetes.io/part-of': 'tourkit' },
      },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });
  it('has a Postgres standby that confirms every commit, and alone signs tokens', () => {
    expect(find('StatefulSet', 'user-db-replica').spec.replicas).toBe(1);
    expect(find('ConfigMap', 'user-db-init').data!['20-synchronous.sql']).toContain(
      "synchronous_standby_names = 'ANY 1 (*)'",
    );
    const names = (svc: string) =>
      find('Deployment', svc).spec.template.spec.containers[0].env.map((e: Json) => e.name);
    expect(names('user')).toContain('JWT_PRIVATE_KEY');
    for (const other of SERVICE_NAMES.filter((s) => s !== 'user'))
      expect(names(other)).not.toContain('JWT_PRIVATE_KEY');
  });
});

describe('modest default', () => {
  it.each(['review', 'payment', 'notification', 'gateway'])(
    '%s: 2 replicas minimum, HPA on CPU',
    (name) => {
      const hpa = find('HorizontalPodAutoscaler', name);
      expect(hpa.spec.minReplicas).toBe(2);
      expect(hpa.spec.maxReplicas).toBe(Modest.autoscaling!.maxReplicas);
      expect(hpa.spec.metrics).toHaveLength(1);
      expect(cpuTarget(hpa).averageUtilization).toBe(70);
      expect(hpa.spec.behavior).toBeUndefined();
    },
  );
});

describe('PodDisruptionBudgets', () => {
  it('exist exactly for the services with more than one replica and the replicated databases', () => {
    expect(
      ofKind('PodDisruptionBudget')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([...SERVICE_NAMES, 'catalog-db', 'user-db'].sort());
  });

  it('let an unready pod be evicted, so it never blocks a drain', () => {
    for (const pdb of ofKind('PodDisruptionBudget'))
      expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });
});

describe('profiles as data', () => {
  it("carry the course's numbers", () => {
    expect([ReadHeavy.replicas, PeakTime.replicas, Steady.replicas, Modest.replicas]).toEqual([
      4, 2, 3, 2,
    ]);
    expect(Steady.autoscaling).toBeUndefined();
  });
  it('reject an override whose minimum exceeds its maximum, naming the field', () => {
    expect(() => withAutoscaling(PeakTime, { minReplicas: 20 })).toThrow(
      /minReplicas must not exceed/,
    );
    expect(() => withAutoscaling(Steady, { maxReplicas: 4 })).toThrow(/steady has no autoscaler/);
    expect(
      withAutoscaling(PeakTime, { minReplicas: 5, maxReplicas: 10 }).autoscaling,
    ).toMatchObject({
      minReplicas: 5,
      maxReplicas: 10,
      cpuUtilization: 70,
    });
  });
});
