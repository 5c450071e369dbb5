import type { V1Deployment } from '@kubernetes/client-node';
import {
  bookingSchedule,
  operatorManifests,
  splitScheduledHpa,
} from '@tourkit/operator/deploy/manifests';
import { validateResource } from '../src/schedule/validate.js';
import { evaluate } from '../src/schedule/evaluate.js';

describe('deploy manifests', () => {
  const objects = operatorManifests({
    namespace: 'tourkit-system',
    image: 'tourkit/scaling-schedule:0.1.0',
    replicas: 2,
  });
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  it('ships the CRDs, RBAC, the Deployment and the metrics Service', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Deployment',
      'Service',
    ]);
  });

  it('grants leases only in its namespace and nothing beyond what the controller calls', () => {
    const role = byKind('Role')[0] as unknown as {
      metadata: { namespace: string };
      rules: { resources: string[] }[];
    };
    expect(role.metadata.namespace).toBe('tourkit-system');
    expect(role.rules.flatMap((r) => r.resources)).toEqual(['leases']);
    const cluster = byKind('ClusterRole')[0] as unknown as {
      rules: { resources: string[]; verbs: string[] }[];
    };
    const hpa = cluster.rules.find((r) => r.resources.includes('horizontalpodautoscalers'))!;
    expect(hpa.verbs).toEqual(['get', 'list', 'watch', 'patch']);
    expect(JSON.stringify(cluster.rules)).not.toContain('"*"');
  });

  it('runs non-root with a read-only root filesystem and probes', () => {
    const deployment = byKind('Deployment')[0] as V1Deployment;
    const pod = deployment.spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(deployment.spec!.replicas).toBe(2);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
  });

  it('without watched namespaces, sets no WATCH_NAMESPACE (the controller watches the cluster)', () => {
    const deployment = byKind('Deployment')[0] as unknown as {
      spec: { template: { spec: { containers: { env: { name: string }[] }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.env.map((e) => e.name)).not.toContain(
      'WATCH_NAMESPACE',
    );
  });

  it('namespace-scoped: a Role and RoleBinding per watched namespace instead of the ClusterRole, and WATCH_NAMESPACE', () => {
    const scoped = operatorManifests({
      namespace: 'tourkit-system',
      image: 'x',
      watchNamespaces: ['tourkit', 'tourkit-staging'],
    });
    const kinds = scoped.map((o) => o.kind);
    expect(kinds).not.toContain('ClusterRole');
    expect(kinds).not.toContain('ClusterRoleBinding');
    const grants = scoped.filter(
      (o) =>
        (o.kind === 'Role' || o.kind === 'RoleBinding') &&
        o.metadata?.name === 'tourkit-scaling-schedule',
    );
    expect(grants.map((o) => `${o.kind} ${o.metadata?.namespace}`)).toEqual([
      'Role tourkit',
      'RoleBinding tourkit',
      'Role tourkit-staging',
      'RoleBinding tourkit-staging',
    ]);
    const role = grants[0] as unknown as { rules: unknown };
    expect(role.rules).toEqual((byKind('ClusterRole')[0] as unknown as { rules: unknown }).rules);
    const binding = grants[1] as unknown as {
      roleRef: { kind: string };
      subjects: { name: string; namespace: string }[];
    };
    expect(binding.roleRef.kind).toBe('Role');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'tourkit-scaling-schedule', namespace: 'tourkit-system' },
    ]);
    const deployment = scoped.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.env).toContainEqual({
      name: 'WATCH_NAMESPACE',
      value: 'tourkit,tourkit-staging',
    });
  });

  it("the booking schedule is valid and has the course's numbers", () => {
    const schedule = bookingSchedule({ namespace: 'tourkit' });
    const result = validateResource(schedule);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const at = (iso: string) => {
      const { minReplicas, maxReplicas } = evaluate(result.value.spec, new Date(iso));
      return [minReplicas, maxReplicas];
    };
    expect(at('2026-06-10T10:00:00Z')).toEqual([5, 10]); // Wednesday noon in Paris
    expect(at('2026-06-10T22:00:00Z')).toEqual([2, 4]); // Wednesday night
    expect(at('2026-06-13T12:00:00Z')).toEqual([7, 15]); // Saturday
  });
});

describe('splitScheduledHpa', () => {
  it('the initial HPA is the least that creates it; the applied half is everything but the bounds', () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'booking', namespace: 'tourkit', labels: { a: 'b' } },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'booking' },
        minReplicas: 2,
        maxReplicas: 15,
        metrics: [{ type: 'Resource' }],
      },
    };
    const { initial, applied } = splitScheduledHpa(hpa);
    expect(initial).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'booking', namespace: 'tourkit' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'booking' },
        minReplicas: 2,
        maxReplicas: 15,
      },
    });
    expect(applied).toEqual({
      ...hpa,
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'booking' },
        metrics: [{ type: 'Resource' }],
      },
    });
    expect(hpa.spec.minReplicas).toBe(2); // the input is not changed
  });
});
