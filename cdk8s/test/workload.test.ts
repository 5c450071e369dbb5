import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEVELOPMENT_OVERRIDES, optionsFromEnvironment } from '../src/options.js';
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

  it('may take 180 s to start (probes.ts), each answer allowed 5 s', () => {
    const { startupProbe } = container;
    expect(startupProbe.periodSeconds * startupProbe.failureThreshold).toBe(180);
    expect(startupProbe.timeoutSeconds).toBe(5);
  });

  it('drains before stopping: preStop sleep, then the kit drain, all within the grace period', () => {
    expect(container.lifecycle.preStop.sleep.seconds).toBe(5);
    const config = find('ConfigMap', `${name}-config`).data!;
    expect(config.SHUTDOWN_DRAIN_SECONDS).toBe('5');
    const budget =
      5 + Number(config.SHUTDOWN_DRAIN_SECONDS) + Number(config.SHUTDOWN_TIMEOUT_SECONDS);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(budget);
  });

  it('pulls <registry>/tourkit/<svc>:<release> if not present (development: tourkit/<svc>:dev), with requests and limits, ephemeral storage included', () => {
    expect(container.image).toBe(`registry.example.com/tourkit/${name}:0.1.0`);
    const development = synthPlatform(DEVELOPMENT_OVERRIDES).find('Deployment', name);
    expect(development.spec.template.spec.containers[0].image).toBe(`tourkit/${name}:dev`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    const kinds = ['cpu', 'ephemeral-storage', 'memory'];
    expect(Object.keys(container.resources.requests).sort()).toEqual(kinds);
    expect(Object.keys(container.resources.limits).sort()).toEqual(kinds);
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
    expect(targets.sort()).toEqual([
      'booking-db',
      'catalog',
      'notification',
      'payment',
      'redis-queue',
    ]);
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
    expect(cnpg.ofKind('StatefulSet').map((s) => s.metadata.name)).toEqual([
      'redis-queue',
      'redis-cache',
    ]);
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
  it('ship the dashboards for the Grafana sidecar and the rules (SLO records, then alerts)', () => {
    const dashboards = find('ConfigMap', 'tourkit-dashboards');
    expect(dashboards.metadata.labels!.grafana_dashboard).toBe('1');
    expect(Object.keys(dashboards.data!).sort()).toEqual(
      ['booking', 'catalog', 'overview', 'scaling', 'user'].map((d) => `tourkit-${d}.json`),
    );
    const overview = JSON.parse(dashboards.data!['tourkit-overview.json']!);
    // A status row, then one row per service.
    expect(overview.panels.filter((p: Json) => p.type === 'row')).toHaveLength(
      SERVICE_NAMES.length + 1,
    );
    const [records, alerts] = find('PrometheusRule', 'tourkit').spec.groups;
    expect(records.name).toBe('tourkit.slo');
    expect(records.rules.every((r: Json) => r.record.startsWith('tourkit:journey_'))).toBe(true);
    expect(new Set(alerts.rules.map((r: Json) => r.alert))).toEqual(
      new Set([
        'TourkitJourneyErrorBudgetBurn',
        'TourkitJourneyLatencyBudgetBurn',
        'TourkitServiceDown',
        'TourkitCircuitOpen',
        'TourkitPaymentsFailed',
        'TourkitBookingUnsettled',
        'TourkitPaymentUnsettled',
        'TourkitPaymentQueueBacklog',
        'TourkitNotificationQueueBacklog',
        'TourkitScheduleDrifted',
        'TourkitHighErrorRate',
        'TourkitHighLatencyP99',
        'TourkitHpaAtMaximum',
        'TourkitPodRestarting',
      ]),
    );
    const down = alerts.rules.filter((r: Json) => r.alert === 'TourkitServiceDown');
    expect(down.map((r: Json) => r.labels.service)).toEqual([...SERVICE_NAMES]);
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
    ).toBe('registry.example.com/tourkit/scaling-schedule:0.1.0');
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
  it('ships its CRDs apart, and the Helm chart carries the same CRDs', () => {
    expect(crds.map((c) => c.metadata.name)).toEqual([
      'scalingschedules.scaling.tourkit.dev',
      'scalingcalendars.scaling.tourkit.dev',
    ]);
    for (const crd of crds) {
      const chartCrd = readFileSync(
        path.resolve(
          import.meta.dirname,
          '..',
          '..',
          'charts',
          'tourkit',
          'crds',
          `${crd.metadata.name}.yaml`,
        ),
        'utf8',
      );
      expect(parse(chartCrd)).toEqual(crd);
    }
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

describe('data stores survive a drain', () => {
  const production = synthPlatform();
  const development = synthPlatform(DEVELOPMENT_OVERRIDES);
  const dbSelector = (db: string) => ({
    'app.kubernetes.io/name': db,
    'app.kubernetes.io/part-of': 'tourkit',
  });

  it.each(['catalog-db', 'user-db'])(
    '%s: one budget over the primary and its replicas, one pod at a time',
    (db) => {
      const pdb = production.find('PodDisruptionBudget', db);
      expect(pdb.spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: dbSelector(db) },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
      // The budget covers both StatefulSets: their pods carry every label it selects on.
      for (const name of [db, `${db}-replica`]) {
        const podLabels = production.find('StatefulSet', name).spec.template.metadata.labels;
        expect(podLabels).toMatchObject(dbSelector(db));
      }
    },
  );

  it('keeps a database without replicas free of budget and affinity (nothing to spread)', () => {
    expect(production.maybe('PodDisruptionBudget', 'booking-db')).toBeUndefined();
    expect(
      production.find('StatefulSet', 'booking-db').spec.template.spec.affinity,
    ).toBeUndefined();
  });

  it.each(['catalog-db', 'catalog-db-replica', 'user-db', 'user-db-replica'])(
    '%s: never shares a node with another pod of its database in production, prefers not to in development',
    (name) => {
      const db = name.replace(/-replica$/, '');
      const term = {
        labelSelector: { matchLabels: dbSelector(db) },
        topologyKey: 'kubernetes.io/hostname',
      };
      expect(production.find('StatefulSet', name).spec.template.spec.affinity).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
      });
      expect(development.find('StatefulSet', name).spec.template.spec.affinity).toEqual({
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }],
        },
      });
    },
  );
});

describe('ephemeral storage is bounded', () => {
  const { platform } = synthPlatform();
  const podSpecs = platform
    .filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind))
    .map((o) => [`${o.kind}/${o.metadata.name}`, o.spec.template.spec] as const);

  it.each(podSpecs)('%s: every container requests and limits it', (_, spec) => {
    for (const c of spec.containers as Json[]) {
      expect(c.resources.requests['ephemeral-storage']).toMatch(/^\d+Mi$/);
      expect(c.resources.limits['ephemeral-storage']).toMatch(/^\d+Mi$/);
    }
  });

  it.each(podSpecs)('%s: every emptyDir has a size limit', (_, spec) => {
    for (const v of (spec.volumes ?? []) as Json[])
      if (v.emptyDir) expect(v.emptyDir.sizeLimit).toMatch(/^\d+Mi$/);
  });
});

describe('probes are patient with a busy node (probes.ts)', () => {
  const podSpecs = synthPlatform({
    observabilityStack: { enabled: true },
    mailCatcher: { enabled: true },
  })
    .platform.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind))
    .map((o) => [`${o.kind}/${o.metadata.name}`, o.spec.template.spec] as const);

  it('covers the stack too', () => {
    const names = podSpecs.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['Deployment/prometheus', 'Deployment/mailpit']));
  });

  it.each(podSpecs)('%s: a minute without answer before a restart, 5 s an answer', (_, spec) => {
    for (const c of spec.containers as Json[]) {
      expect(c.livenessProbe.periodSeconds * c.livenessProbe.failureThreshold).toBe(60);
      expect(c.livenessProbe.timeoutSeconds).toBe(5);
    }
  });

  it.each(podSpecs)('%s: readiness allows 3 s an answer, exec probes 5 s', (_, spec) => {
    for (const c of spec.containers as Json[]) {
      expect(c.readinessProbe.timeoutSeconds).toBeGreaterThanOrEqual(3);
      const probes = [c.startupProbe, c.readinessProbe, c.livenessProbe].filter((p) => p?.exec);
      for (const probe of probes) expect(probe.timeoutSeconds).toBe(5);
    }
  });
});

describe('Redis: a queue that never loses a key, a cache that evicts', () => {
  const { find, ofKind } = synthPlatform();
  const args = (name: string) => find('StatefulSet', name).spec.template.spec.containers[0].args;

  it('runs the queues with noeviction and an append-only file on a volume claim', () => {
    const queue = find('StatefulSet', 'redis-queue');
    expect(args('redis-queue')).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(queue.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
  });

  it('runs the cache with allkeys-lru and nothing on disk', () => {
    const cache = find('StatefulSet', 'redis-cache');
    expect(args('redis-cache')).toEqual(
      expect.arrayContaining([
        '--appendonly',
        'no',
        '--save',
        '',
        '--maxmemory-policy',
        'allkeys-lru',
      ]),
    );
    expect(cache.spec.volumeClaimTemplates).toBeUndefined();
  });

  it.each(['redis-queue', 'redis-cache'])(
    '%s requires the password from the Secret, and its probes authenticate',
    (name) => {
      const container = find('StatefulSet', name).spec.template.spec.containers[0];
      expect(args(name).slice(-2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
      const fromSecret = Object.fromEntries(
        (container.env as Json[]).map((e) => [e.name, e.valueFrom.secretKeyRef]),
      );
      expect(fromSecret).toEqual({
        REDIS_PASSWORD: { name: 'tourkit-secrets', key: 'redis-password' },
        REDISCLI_AUTH: { name: 'tourkit-secrets', key: 'redis-password' },
      });
    },
  );

  it.each(['redis-queue', 'redis-cache'])('%s is governed by a headless Service', (name) => {
    const serviceName = find('StatefulSet', name).spec.serviceName;
    expect(serviceName).toBe(`${name}-hl`);
    expect(find('Service', serviceName).spec.clusterIP).toBe('None');
  });

  it('gives every StatefulSet a headless governing Service', () => {
    for (const set of ofKind('StatefulSet'))
      expect(find('Service', set.spec.serviceName).spec.clusterIP).toBe('None');
  });
});

describe('pull policy is a value for every image', () => {
  it('applies to the data stores and the mail catcher as to the services', () => {
    const { platform } = synthPlatform({
      image: { pullPolicy: 'Always' },
      postgres: { pullPolicy: 'Never' },
      redis: { pullPolicy: 'Never' },
      mailCatcher: { enabled: true, pullPolicy: 'Always' },
    });
    const policies = Object.fromEntries(
      platform
        .filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind))
        .map((o) => [o.metadata.name, o.spec.template.spec.containers[0].imagePullPolicy]),
    );
    expect(policies).toMatchObject({
      catalog: 'Always',
      'catalog-db': 'Never',
      'redis-queue': 'Never',
      'redis-cache': 'Never',
      mailpit: 'Always',
    });
  });
});

describe('the in-cluster load generator', () => {
  it('is off by default', () => {
    expect(ofKind('Job')).toEqual([]);
  });

  const on = synthPlatform({ loadGenerator: { enabled: true, rate: 12, duration: '90s' } });
  const job = on.find('Job', 'tourkit-load-generator');
  const pod = job.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((e: Json) => [e.name, e.value]));

  it('drives the journey through its own namespace web app, at the rate and for the time set', () => {
    expect(container.args).toEqual(['run', '--quiet', '/scripts/web-journey.js']);
    expect(env).toMatchObject({
      BASE_URL: 'http://web.tourkit.svc:8080',
      RATE: '12',
      DURATION: '90s',
      USERS: '20',
      BOOK_RATIO: '0.2',
    });
    expect(job.spec.activeDeadlineSeconds).toBe(90 + 300);
    expect(job.spec.backoffLimit).toBe(0);
    expect(pod.restartPolicy).toBe('Never');
  });

  it('runs the k6 scripts of loadtests/scripts, mounted where their imports look', () => {
    const scripts = on.find('ConfigMap', 'tourkit-load-generator').data!;
    const dir = path.resolve(import.meta.dirname, '..', '..', 'loadtests', 'scripts');
    expect(scripts['web-journey.js']).toBe(readFileSync(path.join(dir, 'web-journey.js'), 'utf8'));
    expect(scripts['lib-api.js']).toBe(readFileSync(path.join(dir, 'lib', 'api.js'), 'utf8'));
    const items = pod.volumes.find((v: Json) => v.name === 'scripts').configMap.items;
    expect(items.map((i: Json) => i.path).sort()).toEqual(
      ['lib/api.js', 'lib/target.js', 'web-journey.js'].sort(),
    );
    // The chart ships the same files (make chart-files).
    const chartCopy = path.resolve(dir, '..', '..', 'charts', 'tourkit', 'files', 'load-generator');
    for (const key of Object.keys(scripts))
      expect(readFileSync(path.join(chartCopy, key), 'utf8')).toBe(scripts[key]);
  });

  it('runs restricted, bounded, and may reach only the web app', () => {
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
    });
    expect(container.resources.limits['ephemeral-storage']).toBe('256Mi');
    const policy = on.find('NetworkPolicy', 'tourkit-load-generator');
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress).toEqual([
      {
        to: [
          {
            podSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'web',
                'app.kubernetes.io/part-of': 'tourkit',
              },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });
});

describe('CPU requests for a small node (cpuRequestPercent)', () => {
  const cpuOf = (platform: Json[]) =>
    Object.fromEntries(
      platform
        .filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind))
        .map((o) => [o.metadata.name, o.spec.template.spec.containers[0].resources]),
    );
  const full = cpuOf(synthPlatform().platform);
  const quarter = cpuOf(synthPlatform({ cpuRequestPercent: 25 }).platform);

  it('takes a share of the services and data stores requests, rounded down to millicores', () => {
    expect(full.catalog.requests.cpu).toBe('100m');
    expect(quarter.catalog.requests.cpu).toBe('25m');
    expect(quarter['catalog-db'].requests.cpu).toBe('25m');
    expect(quarter['redis-queue'].requests.cpu).toBe('12m');
    expect(
      synthPlatform({ cpuRequestPercent: 1 }).find('StatefulSet', 'redis-cache').spec.template.spec
        .containers[0].resources.requests.cpu,
    ).toBe('1m');
  });

  it("scales the HPAs' CPU targets the other way, so a pod scales at the same millicores", () => {
    const cpuTargetOf = (platform: Json[], name: string) =>
      platform
        .find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name)
        .spec.metrics.find((m: Json) => m.resource.name === 'cpu').resource.target;
    const memoryTargetOf = (platform: Json[]) =>
      platform
        .find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'booking')
        .spec.metrics.find((m: Json) => m.resource.name === 'memory').resource.target;
    const quarterPlatform = synthPlatform({ cpuRequestPercent: 25 }).platform;
    expect(cpuTargetOf(synthPlatform().platform, 'booking').averageUtilization).toBe(70);
    // 280 % of 25m is 70 % of 100m.
    expect(cpuTargetOf(quarterPlatform, 'booking').averageUtilization).toBe(280);
    expect(cpuTargetOf(quarterPlatform, 'catalog').averageUtilization).toBe(280);
    // 70 * 100 / 33 = 212.1: rounded down, as Helm's integer `div` does.
    const third = synthPlatform({ cpuRequestPercent: 33 }).platform;
    expect(cpuTargetOf(third, 'booking').averageUtilization).toBe(212);
    // Memory requests stay, and so does the memory target.
    expect(memoryTargetOf(quarterPlatform).averageUtilization).toBe(80);
  });

  it('keeps every limit, and every request but CPU', () => {
    for (const name of Object.keys(full)) {
      expect(quarter[name].limits).toEqual(full[name].limits);
      expect(quarter[name].requests.memory).toEqual(full[name].requests.memory);
    }
  });

  it('is read from TOURKIT_CPU_REQUEST_PERCENT, and a bad one is refused by name', () => {
    expect(optionsFromEnvironment({ TOURKIT_CPU_REQUEST_PERCENT: '25' }).cpuRequestPercent).toBe(
      25,
    );
    expect(optionsFromEnvironment({}).cpuRequestPercent).toBe(100);
    for (const bad of ['0', '101', '2.5', 'half'])
      expect(() => optionsFromEnvironment({ TOURKIT_CPU_REQUEST_PERCENT: bad })).toThrow(
        /TOURKIT_CPU_REQUEST_PERCENT: expected a whole number from 1 to 100/,
      );
  });
});
