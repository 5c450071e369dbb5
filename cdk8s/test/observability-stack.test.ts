/**
 * The in-cluster Prometheus, Alertmanager and Jaeger (src/observability/stack.ts), field by field: off
 * unless asked for; Prometheus discovering only its namespace's pods with a Role, loading the very
 * rule groups of the PrometheusRule, sending to the Alertmanager Service; Alertmanager e-mailing
 * support through the mail catcher's SMTP Service; Jaeger taking OTLP where the services send it;
 * each file where the container's arguments read it; the NetworkPolicies letting exactly that through.
 * The Prometheus configuration is also checked by `promtool check config` (built from Prometheus's Go
 * module by hack/tools/build.sh; skipped, loudly, without it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toolAvailable, toolPath } from '@tourkit/testenv';
import { DEVELOPMENT_OVERRIDES, optionsFromEnvironment } from '../src/options.js';
import { SERVICE_NAMES } from '../src/services.js';
import { jaegerOtlpEndpoint } from '../src/observability/stack.js';
import { synthPlatform, type Json } from './synth.js';

const NS = 'tourkit';
const STACK_ON = {
  ...DEVELOPMENT_OVERRIDES,
  observabilityStack: { enabled: true },
  otlpEndpoint: jaegerOtlpEndpoint(NS),
};
const on = synthPlatform(STACK_ON);
const STACK_APPS = ['prometheus', 'alertmanager', 'jaeger'];
const file = (configMap: string, key: string): Json =>
  JSON.parse(on.find('ConfigMap', configMap).data![key]!);
const container = (name: string): Json =>
  on.find('Deployment', name).spec.template.spec.containers[0];
/** The value of `--flag=value` among a container's arguments. */
const arg = (name: string, flag: string): string => {
  const found = (container(name).args as string[]).find((a) => a.startsWith(`${flag}=`));
  if (found === undefined) throw new Error(`${name} has no ${flag} argument`);
  return found.slice(flag.length + 1);
};
const byApp = (o: Json) => o.metadata.labels?.['app.kubernetes.io/name'];

describe('the in-cluster observability stack', () => {
  it('is off by default and in the development values (kind runs kube-prometheus-stack)', () => {
    for (const synth of [synthPlatform(), synthPlatform(DEVELOPMENT_OVERRIDES)])
      expect(synth.platform.filter((o) => STACK_APPS.includes(byApp(o)))).toEqual([]);
  });

  it('runs one pod each of the images asked for, never pulled when the pull policy says so', () => {
    const local = synthPlatform({
      ...STACK_ON,
      observabilityStack: {
        enabled: true,
        pullPolicy: 'Never',
        prometheusImage: 'tourkit.local/prometheus:v0.316.0',
        alertmanagerImage: 'tourkit.local/alertmanager:v0.35.0',
        jaegerImage: 'tourkit.local/jaeger:v1.75.0',
      },
    });
    for (const app of STACK_APPS) {
      const deployment = local.find('Deployment', app);
      expect(deployment.metadata.namespace).toBe(NS);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      const c = deployment.spec.template.spec.containers[0];
      expect(c.image).toMatch(new RegExp(`^tourkit\\.local/${app}:v`));
      expect(c.imagePullPolicy).toBe('Never');
    }
  });

  it('satisfies the restricted Pod Security Standard, writing only to its emptyDirs', () => {
    for (const app of STACK_APPS) {
      const pod = on.find('Deployment', app).spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
      expect(pod.containers[0].securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const emptyDirs = (pod.volumes as Json[]).filter((v) => v.emptyDir).map((v) => v.name);
      expect(emptyDirs.length).toBeGreaterThan(0);
      for (const name of emptyDirs)
        expect(pod.volumes.find((v: Json) => v.name === name).emptyDir.sizeLimit).toBeDefined();
      // Ephemeral storage must hold the emptyDirs (they count against the pod's limit).
      expect(pod.containers[0].resources.limits['ephemeral-storage']).toBeDefined();
    }
  });

  it('reads each configuration file from its ConfigMap, mounted where the arguments point', () => {
    const files: Array<[string, string, string]> = [
      ['prometheus', '--config.file', 'prometheus.json'],
      ['alertmanager', '--config.file', 'alertmanager.json'],
      ['jaeger', '--config', 'jaeger.json'],
    ];
    for (const [app, flag, key] of files) {
      const pod = on.find('Deployment', app).spec.template.spec;
      const mount = (pod.containers[0].volumeMounts as Json[]).find((m) => m.name === 'config');
      expect(pod.volumes.find((v: Json) => v.name === 'config').configMap.name).toBe(app);
      expect(arg(app, flag)).toBe(`${mount.mountPath}/${key}`);
      expect(on.find('ConfigMap', app).data![key]).toBeDefined();
    }
    // The rule file Prometheus loads is the other key of its ConfigMap.
    const mount = container('prometheus').volumeMounts.find((m: Json) => m.name === 'config');
    expect(file('prometheus', 'prometheus.json').rule_files).toEqual([
      `${mount.mountPath}/rules.json`,
    ]);
  });

  describe('Prometheus', () => {
    const config = file('prometheus', 'prometheus.json');

    it('loads the same rule groups as the PrometheusRule the manifests carry, and reloads them when they change', () => {
      const rule = on.find('PrometheusRule', 'tourkit');
      expect(file('prometheus', 'rules.json')).toEqual({ groups: rule.spec.groups });
      // The ConfigMap's mounted files change in place: Prometheus checks them (rule files included).
      expect(container('prometheus').args).toContain('--config.auto-reload');
    });

    it('discovers the pods of its own namespace only, with a Role (no cluster-wide access)', () => {
      const [job] = config.scrape_configs;
      expect(config.scrape_configs).toHaveLength(1);
      expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: [NS] } }]);
      const role = on.find('Role', 'prometheus');
      expect(role.metadata.namespace).toBe(NS);
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      ]);
      const binding = on.find('RoleBinding', 'prometheus');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'prometheus',
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'prometheus', namespace: NS },
      ]);
      const pod = on.find('Deployment', 'prometheus').spec.template.spec;
      expect(pod.serviceAccountName).toBe('prometheus');
      expect(on.find('ServiceAccount', 'prometheus').metadata.namespace).toBe(NS);
      // Nothing cluster-scoped comes with the stack.
      const clusterScoped = (s: ReturnType<typeof synthPlatform>) =>
        s.platform.filter((o) => o.kind.startsWith('Cluster')).map((o) => o.metadata.name);
      expect(clusterScoped(on)).toEqual(clusterScoped(synthPlatform(DEVELOPMENT_OVERRIDES)));
    });

    it('scrapes the pods that say prometheus.io/scrape, at their annotated port and path, labelled as the rules expect', () => {
      const relabel = config.scrape_configs[0].relabel_configs as Json[];
      expect(relabel).toContainEqual({
        source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
        regex: 'true',
        action: 'keep',
      });
      expect(relabel).toContainEqual({
        source_labels: [
          '__meta_kubernetes_pod_ip',
          '__meta_kubernetes_pod_annotation_prometheus_io_port',
        ],
        regex: '(.+);([0-9]+)',
        replacement: '$1:$2',
        target_label: '__address__',
      });
      const target = (label: string) =>
        relabel.find((r) => r.target_label === label)?.source_labels;
      // TourkitServiceDown selects up{namespace, service}: both come from the pod.
      expect(target('namespace')).toEqual(['__meta_kubernetes_namespace']);
      expect(target('service')).toEqual(['__meta_kubernetes_pod_label_app_kubernetes_io_name']);
      expect(target('__metrics_path__')).toEqual([
        '__meta_kubernetes_pod_annotation_prometheus_io_path',
      ]);
      // ... and every service's pod template carries those annotations and that label.
      for (const name of SERVICE_NAMES) {
        const template = on.find('Deployment', name).spec.template;
        expect(template.metadata.annotations).toMatchObject({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '8080',
          'prometheus.io/path': '/metrics',
        });
        expect(template.metadata.labels['app.kubernetes.io/name']).toBe(name);
      }
    });

    it('sends alerts to the Alertmanager Service', () => {
      const service = on.find('Service', 'alertmanager');
      expect(config.alerting.alertmanagers).toEqual([
        { static_configs: [{ targets: [`alertmanager.${NS}.svc:${service.spec.ports[0].port}`] }] },
      ]);
    });
  });

  it('has Alertmanager e-mail support through the mail catcher, resolved notices included', () => {
    const config = file('alertmanager', 'alertmanager.json');
    const smtp = on.find('Service', 'mailpit').spec.ports.find((p: Json) => p.name === 'smtp');
    expect(config.global.smtp_smarthost).toBe(`mailpit.${NS}.svc:${smtp.port}`);
    expect(config.global.smtp_require_tls).toBe(false);
    expect(config.receivers).toEqual([
      { name: 'support', email_configs: [{ to: 'support@tourkit.local', send_resolved: true }] },
    ]);
    const other = synthPlatform({ ...STACK_ON, supportEmail: 'ops@example.com' });
    expect(
      JSON.parse(other.find('ConfigMap', 'alertmanager').data!['alertmanager.json']!).receivers[0]
        .email_configs[0].to,
    ).toBe('ops@example.com');
  });

  it('refuses to run without the mail catcher, naming both options', () => {
    expect(() =>
      synthPlatform({ observabilityStack: { enabled: true }, mailCatcher: { enabled: false } }),
    ).toThrow(/observabilityStack\.enabled needs mailCatcher\.enabled/);
  });

  it('takes the services traces on the Jaeger Service their otlpEndpoint names', () => {
    const config = file('jaeger', 'jaeger.json');
    const endpoint = new URL(jaegerOtlpEndpoint(NS));
    expect(endpoint.hostname).toBe(`jaeger.${NS}.svc`);
    const service = on.find('Service', 'jaeger');
    const otlp = service.spec.ports.find((p: Json) => p.name === 'otlp-http');
    expect(String(otlp.port)).toBe(endpoint.port);
    expect(config.receivers.otlp.protocols.http.endpoint).toBe(`0.0.0.0:${endpoint.port}`);
    const ports = container('jaeger').ports.map((p: Json) => `${p.name}:${p.containerPort}`);
    expect(ports).toContain(`otlp-http:${endpoint.port}`);
    for (const name of SERVICE_NAMES)
      expect(on.find('ConfigMap', `${name}-config`).data!.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
        endpoint.toString().replace(/\/$/, ''),
      );
  });

  it('opens each UI on its NodePort, to a port the container declares', () => {
    const uis: Array<[string, string, number]> = [
      ['prometheus', 'prometheus', 30090],
      ['alertmanager', 'alertmanager', 30093],
      ['jaeger', 'jaeger-query', 30686],
    ];
    for (const [app, serviceName, nodePort] of uis) {
      const service = on.find('Service', serviceName);
      expect(service.spec.type).toBe('NodePort');
      expect(service.spec.selector['app.kubernetes.io/name']).toBe(app);
      expect(service.spec.ports[0].nodePort).toBe(nodePort);
      const names = container(app).ports.map((p: Json) => p.name);
      expect(names).toContain(service.spec.ports[0].targetPort);
      const probe = container(app).readinessProbe.httpGet;
      expect(names).toContain(probe.port);
    }
  });

  describe('NetworkPolicies', () => {
    const policy = (name: string) => on.find('NetworkPolicy', name).spec;
    const appOf = (peer: Json) => peer.podSelector?.matchLabels['app.kubernetes.io/name'];

    it('let Prometheus scrape every service, reach Alertmanager and the API server, and nothing else', () => {
      for (const name of SERVICE_NAMES)
        expect(policy(name).ingress).toContainEqual({
          from: [
            {
              podSelector: {
                matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'prometheus' }),
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 'http' }],
        });
      const egress = policy('prometheus').egress as Json[];
      expect(egress[0].to.map(appOf)).toEqual([...SERVICE_NAMES].sort());
      expect(egress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
      expect(egress[1].to.map(appOf)).toEqual(['alertmanager']);
      expect(egress[2]).toEqual({
        ports: [
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 6443 },
        ],
      });
      expect(egress).toHaveLength(3);
    });

    it('let Alertmanager reach the mail catcher SMTP port, and the catcher take it', () => {
      expect(policy('alertmanager').egress).toEqual([
        {
          to: [
            {
              podSelector: {
                matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'mailpit' }),
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 1025 }],
        },
      ]);
      expect(policy('mailpit').ingress[0].from.map(appOf)).toContain('alertmanager');
    });

    it('let Jaeger take OTLP from the services only, and opens their egress to it', () => {
      const [otlp, ui] = policy('jaeger').ingress as Json[];
      expect(otlp.from.map(appOf)).toEqual([...SERVICE_NAMES].sort());
      expect(otlp.ports).toEqual([{ protocol: 'TCP', port: 4318 }]);
      expect(ui).toEqual({ ports: [{ protocol: 'TCP', port: 16686 }] });
      expect(policy('jaeger').egress).toBeUndefined();
      for (const name of SERVICE_NAMES)
        expect(policy(name).egress).toContainEqual({ ports: [{ protocol: 'TCP', port: 4318 }] });
    });
  });
});

describe('the stack from the environment (make synth, hack/node/platform-up.sh)', () => {
  it('follows TOURKIT_OBSERVABILITY_STACK, the three images, the pull policy and TOURKIT_OTLP_ENDPOINT', () => {
    expect(optionsFromEnvironment({}).observabilityStack.enabled).toBe(false);
    const local = optionsFromEnvironment({
      TOURKIT_VALUES: 'development',
      TOURKIT_OBSERVABILITY_STACK: '1',
      TOURKIT_PROMETHEUS_IMAGE: 'tourkit.local/prometheus:v0.316.0',
      TOURKIT_ALERTMANAGER_IMAGE: 'tourkit.local/alertmanager:v0.35.0',
      TOURKIT_JAEGER_IMAGE: 'tourkit.local/jaeger:v1.75.0',
      TOURKIT_IMAGE_PULL_POLICY: 'Never',
      TOURKIT_OTLP_ENDPOINT: 'http://jaeger.tourkit.svc:4318',
    });
    expect(local.observabilityStack).toMatchObject({
      enabled: true,
      pullPolicy: 'Never',
      prometheusImage: 'tourkit.local/prometheus:v0.316.0',
      alertmanagerImage: 'tourkit.local/alertmanager:v0.35.0',
      jaegerImage: 'tourkit.local/jaeger:v1.75.0',
      prometheusNodePort: 30090,
    });
    expect(local.otlpEndpoint).toBe('http://jaeger.tourkit.svc:4318');
  });

  it('names the variable when a value is wrong', () => {
    expect(() => optionsFromEnvironment({ TOURKIT_OBSERVABILITY_STACK: 'sure' })).toThrow(
      /TOURKIT_OBSERVABILITY_STACK: expected true\/false/,
    );
    expect(() => optionsFromEnvironment({ TOURKIT_OTLP_ENDPOINT: 'jaeger:4318' })).toThrow(
      /TOURKIT_OTLP_ENDPOINT: "jaeger:4318" is not an http:\/\/ or https:\/\/ URL/,
    );
  });
});

const promtool = toolPath('promtool');
const promtoolAvailable = toolAvailable('promtool');
if (!promtoolAvailable)
  console.warn(
    `\n!!! SKIPPING promtool check config: no promtool at ${promtool}; build it with hack/tools/build.sh promtool.\n`,
  );

(promtoolAvailable ? it : it.skip)('passes promtool check config, its rule file included', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tourkit-stack-'));
  try {
    const config = file('prometheus', 'prometheus.json');
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, on.find('ConfigMap', 'prometheus').data!['rules.json']!);
    // The same file, its rule file where this test put it (promtool reads it too).
    writeFileSync(
      path.join(dir, 'prometheus.json'),
      JSON.stringify({ ...config, rule_files: [rules] }),
    );
    const out = execFileSync(promtool, ['check', 'config', path.join(dir, 'prometheus.json')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(/SUCCESS/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
