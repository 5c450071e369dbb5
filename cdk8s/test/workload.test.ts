import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { optionsFromEnvironment } from '../src/options.js';
import { SERVICE_NAMES, SERVICES } from '../src/services.js';
import { synthPlatform, type Json } from './synth.js';

const { find, ofKind, namespace, platform } = synthPlatform();

describe.each([...SERVICE_NAMES])('%s workload', (name) => {
  const deployment = find('Deployment', name);
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('runs as numeric non-root user 10001 with a read-only root, no capabilities, RuntimeDefault seccomp', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('uses its own ServiceAccount without a token', () => {
    expect(pod.serviceAccountName).toBe(name);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find('ServiceAccount', name).automountServiceAccountToken).toBe(false);
  });

  it('probes startup and liveness on /livez, readiness on /readyz', () => {
    expect(container.startupProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('drains before stopping: preStop sleep, then the kit drain, all within the grace period', () => {
    expect(container.lifecycle.preStop.sleep.seconds).toBe(5);
    const config = find('ConfigMap', `${name}-config`).data!;
    expect(config.SHUTDOWN_DRAIN_SECONDS).toBe('5');
    const budget =
      5 + Number(config.SHUTDOWN_DRAIN_SECONDS) + Number(config.SHUTDOWN_TIMEOUT_SECONDS);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(budget);
  });

  it('pulls tourkit/<svc>:dev if not present, with requests and limits', () => {
    expect(container.image).toBe(`tourkit/${name}:dev`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
  });

  it('listens on 8080 behind a Service of the same name, scraped by annotations and a ServiceMonitor', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(find('ConfigMap', `${name}-config`).data!.PORT).toBe('8080');
    expect(find('Service', name).spec.ports[0]).toMatchObject({ port: 8080, targetPort: 'http' });
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    expect(find('ServiceMonitor', name).spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '15s' },
    ]);
  });

  it('takes secrets from the Secret and plain settings from its ConfigMap', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: `${name}-config` } }]);
    const fromSecret = container.env.filter((e: Json) => e.valueFrom?.secretKeyRef);
    // web holds no secret at all (no database, no token check, no internal token).
    if (name !== 'web') expect(fromSecret.length).toBeGreaterThan(0);
    for (const e of fromSecret) expect(e.valueFrom.secretKeyRef.name).toBe('tourkit-secrets');
    // Literal values never carry secrets: only $(VAR) references.
    for (const e of container.env) if (e.value) expect(e.value).not.toMatch(/:[^$@/]+@/);
  });
});

describe('network policies', () => {
  it('deny everything by default, in both directions', () => {
    expect(find('NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });
  it('let the callers of a service in, derived from whom they call', () => {
    const from = find('NetworkPolicy', 'user').spec.ingress[0].from.map(
      (p: Json) => p.podSelector.matchLabels['app.kubernetes.io/name'],
    );
    expect(from.sort()).toEqual(['gateway', 'notification']);
  });
  it('let booking out only to its callees, its database, Redis (and DNS through allow-dns)', () => {
    const egress = find('NetworkPolicy', 'booking').spec.egress;
    const targets = egress.flatMap((r: Json) =>
      r.to.map((p: Json) => p.podSelector.matchLabels['app.kubernetes.io/name']),
    );
    expect(targets.sort()).toEqual(['booking-db', 'catalog', 'notification', 'payment', 'redis']);
    expect(
      find('NetworkPolicy', 'allow-dns')
        .spec.egress[0].ports.map((p: Json) => p.protocol)
        .sort(),
    ).toEqual(['TCP', 'UDP']);
  });
  it('open the gateway to any source, on its http port only', () => {
    expect(find('NetworkPolicy', 'gateway').spec.ingress[0]).toEqual({
      ports: [{ protocol: 'TCP', port: 'http' }],
    });
    expect(find('Service', 'gateway').spec).toMatchObject({
      type: 'NodePort',
      ports: [{ nodePort: 30080 }],
    });
  });
  it('open the web app to any source on NodePort 30087, and let it reach only the gateway and booking', () => {
    expect(find('NetworkPolicy', 'web').spec.ingress[0]).toEqual({
      ports: [{ protocol: 'TCP', port: 'http' }],
    });
    expect(find('Service', 'web').spec).toMatchObject({
      type: 'NodePort',
      ports: [{ nodePort: 30087 }],
    });
    const data = find('ConfigMap', 'web-config').data ?? {};
    expect(data.GATEWAY_URL).toBe('http://gateway.tourkit.svc:8080');
    expect(data.BOOKING_URL).toBe('http://booking.tourkit.svc:8080');
    expect(data.INTERNAL_TOKEN).toBeUndefined();
  });
  it('can be switched off', () => {
    expect(
      synthPlatform({ networkPolicies: { enabled: false } }).ofKind('NetworkPolicy'),
    ).toHaveLength(0);
  });
});

describe('data stores', () => {
  it('give every service with data its own Postgres (not the gateway, not web)', () => {
    const primaries = ofKind('StatefulSet').filter(
      (s) => s.metadata.labels?.['tourkit.dev/db-role'] === 'primary',
    );
    expect(primaries.map((s) => s.metadata.name).sort()).toEqual(
      SERVICES.filter((s) => s.database)
        .map((s) => `${s.name}-db`)
        .sort(),
    );
  });
  it('switch to CloudNativePG Clusters with the same endpoints', () => {
    const cnpg = synthPlatform({ cloudnativepg: { enabled: true } });
    expect(cnpg.ofKind('StatefulSet').map((s) => s.metadata.name)).toEqual(['redis']);
    expect(cnpg.find('Cluster', 'catalog-db').spec.instances).toBe(4);
    expect(cnpg.find('Cluster', 'user-db').spec).toMatchObject({
      instances: 2,
      postgresql: { synchronous: { method: 'any', number: 1 } },
    });
    const env = cnpg.find('Deployment', 'catalog').spec.template.spec.containers[0].env;
    expect(env.find((e: Json) => e.name === 'DB_PASSWORD').valueFrom.secretKeyRef).toEqual({
      name: 'catalog-db-app',
      key: 'password',
    });
    expect(env.find((e: Json) => e.name === 'DATABASE_URL').value).toContain(
      '@catalog-db-rw.tourkit.svc:5432/',
    );
  });
});

describe('namespace and observability', () => {
  it('enforce the restricted Pod Security Standard on the namespace', () => {
    expect(namespace[0]!.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
  it('ship the dashboard for the Grafana sidecar and the alert rules', () => {
    const dashboard = find('ConfigMap', 'tourkit-dashboards');
    expect(dashboard.metadata.labels!.grafana_dashboard).toBe('1');
    const json = JSON.parse(dashboard.data!['tourkit-overview.json']!);
    expect(json.panels.filter((p: Json) => p.type === 'row')).toHaveLength(SERVICE_NAMES.length);
    const alerts = find('PrometheusRule', 'tourkit').spec.groups[0].rules.map((r: Json) => r.alert);
    expect(alerts).toEqual([
      'TourkitHighErrorRate',
      'TourkitHighLatencyP99',
      'TourkitHpaAtMaximum',
      'TourkitPodRestarting',
    ]);
  });
  it('put every namespaced object in the platform namespace', () => {
    const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding']);
    for (const o of platform)
      expect(o.metadata.namespace).toBe(clusterScoped.has(o.kind) ? undefined : 'tourkit');
  });
});

describe('ScalingSchedule operator', () => {
  const { crds } = synthPlatform();
  it('is included from @tourkit/operator: controller, least-privilege RBAC, the booking schedule', () => {
    expect(
      find('Deployment', 'tourkit-scaling-schedule').spec.template.spec.containers[0].image,
    ).toBe('tourkit/scaling-schedule:dev');
    expect(find('ClusterRoleBinding', 'tourkit-scaling-schedule').subjects[0].namespace).toBe(
      'tourkit',
    );
    const schedule = find('ScalingSchedule', 'booking');
    expect(schedule.spec.targetRef.name).toBe('booking');
    expect(schedule.spec.windows.map((w: Json) => [w.name, w.minReplicas, w.maxReplicas])).toEqual([
      ['business-hours', 5, 10],
      ['weekend', 7, 15],
    ]);
    expect(schedule.spec.default).toEqual({ minReplicas: 2, maxReplicas: 4 });
  });
  it('may talk to the API server despite the default deny', () => {
    const egress = find('NetworkPolicy', 'tourkit-scaling-schedule').spec.egress[0].ports.map(
      (p: Json) => p.port,
    );
    expect(egress).toEqual([443, 6443]);
  });
  it('ships its CRD apart, and the Helm chart carries the same CRD', () => {
    expect(crds.map((c) => c.metadata.name)).toEqual(['scalingschedules.scaling.tourkit.dev']);
    const chartCrd = readFileSync(
      path.resolve(
        import.meta.dirname,
        '..',
        '..',
        'charts',
        'tourkit',
        'crds',
        'scalingschedules.scaling.tourkit.dev.yaml',
      ),
      'utf8',
    );
    expect(parse(chartCrd)).toEqual(crds[0]);
  });
  it('scoped to namespaces: a Role and RoleBinding in each, no ClusterRole, WATCH_NAMESPACE set', () => {
    const scoped = synthPlatform({ operator: { watchNamespaces: ['tourkit', 'staging'] } });
    expect(scoped.ofKind('ClusterRole')).toHaveLength(0);
    expect(scoped.ofKind('ClusterRoleBinding')).toHaveLength(0);
    const grants = scoped
      .ofKind('RoleBinding')
      .filter((o) => o.metadata.name === 'tourkit-scaling-schedule')
      .map((o) => [o.metadata.namespace, o.roleRef.kind, o.subjects[0].namespace]);
    expect(grants).toEqual([
      ['tourkit', 'Role', 'tourkit'],
      ['staging', 'Role', 'tourkit'],
    ]);
    const env = scoped.find('Deployment', 'tourkit-scaling-schedule').spec.template.spec
      .containers[0].env;
    expect(env).toContainEqual({ name: 'WATCH_NAMESPACE', value: 'tourkit,staging' });
  });
  it('reads the watched namespaces from TOURKIT_OPERATOR_WATCH_NAMESPACES, naming it on a bad name', () => {
    const read = (value?: string) =>
      optionsFromEnvironment({ TOURKIT_OPERATOR_WATCH_NAMESPACES: value }).operator.watchNamespaces;
    expect(read()).toEqual([]);
    expect(read(' tourkit, staging,tourkit ')).toEqual(['tourkit', 'staging']);
    expect(() => read('tourkit,Prod')).toThrow(
      /TOURKIT_OPERATOR_WATCH_NAMESPACES: "Prod" is not a valid namespace name/,
    );
  });
  it('can be left out', () => {
    const without = synthPlatform({ operator: { enabled: false } });
    expect(without.crds).toHaveLength(0);
    expect(without.maybe('ScalingSchedule', 'booking')).toBeUndefined();
  });
});

describe('the Helm chart copy of the dashboard', () => {
  it('is the generated one (run `make chart-files` after changing dashboard.ts)', () => {
    const file = readFileSync(
      path.resolve(
        import.meta.dirname,
        '..',
        '..',
        'charts',
        'tourkit',
        'files',
        'dashboards',
        'tourkit-overview.json',
      ),
      'utf8',
    );
    // The chart's copy is prettier-formatted: same content, other whitespace.
    expect(JSON.parse(file)).toEqual(
      JSON.parse(find('ConfigMap', 'tourkit-dashboards').data!['tourkit-overview.json']!),
    );
  });
});
