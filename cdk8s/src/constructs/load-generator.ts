import { readFileSync } from 'node:fs';
import path from 'node:path';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, selectorLabels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import { resourceRequirements } from './resources.js';
import { restrictedSecurityContext } from './security-context.js';
import { CONTAINER_PORT } from './tourkit-service.js';

export const LOAD_GENERATOR = 'tourkit-load-generator';
/** uid/gid of the `k6` user in the grafana/k6 image. */
const K6_UID = 12345;

/**
 * The k6 scripts the Job runs, as ConfigMap keys (a key cannot hold a slash: lib/target.js is
 * lib-target.js, mounted back at lib/target.js). Read from loadtests/scripts, the one copy; the
 * chart ships the same files (files/load-generator/, `make chart-files`).
 */
export const LOAD_GENERATOR_SCRIPTS: Readonly<Record<string, string>> = {
  'web-journey.js': 'web-journey.js',
  'lib-target.js': 'lib/target.js',
  'lib-api.js': 'lib/api.js',
};

/** loadtests/scripts, two folders above this file in src/ and dist/ alike. */
export function loadGeneratorScript(key: string): string {
  const file = LOAD_GENERATOR_SCRIPTS[key];
  if (!file) throw new Error(`no load-generator script ${key}`);
  return readFileSync(
    path.resolve(import.meta.dirname, '..', '..', '..', 'loadtests', 'scripts', file),
    'utf8',
  );
}

/**
 * The in-cluster load generator (off by default): a k6 Job that drives the traveller's journey
 * through the web app at `rate` journeys a second for `duration`, so a person can watch the
 * autoscalers and dashboards move without running anything on their own machine. It sends only to
 * the web Service of its own namespace.
 */
export class LoadGenerator extends Construct {
  constructor(scope: Construct, id: string, props: { readonly options: PlatformOptions }) {
    super(scope, id);
    const { options } = props;
    const g = options.loadGenerator;
    const ns = options.namespace;
    const meta = { name: LOAD_GENERATOR, namespace: ns, labels: labels(LOAD_GENERATOR, 'load') };
    const q = (value: string) => k8s.Quantity.fromString(value);
    new k8s.KubeConfigMap(this, 'scripts', {
      metadata: meta,
      data: Object.fromEntries(
        Object.keys(LOAD_GENERATOR_SCRIPTS).map((key) => [key, loadGeneratorScript(key)]),
      ),
    });
    new k8s.KubeJob(this, 'job', {
      metadata: meta,
      spec: {
        backoffLimit: 0,
        // The run's own length plus set-up and the summary; it never outlives that.
        activeDeadlineSeconds: durationSeconds(g.duration) + 300,
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: labels(LOAD_GENERATOR, 'load') },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: K6_UID,
              runAsGroup: K6_UID,
              fsGroup: K6_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'k6',
                image: g.image,
                imagePullPolicy: g.pullPolicy,
                args: ['run', '--quiet', '/scripts/web-journey.js'],
                env: [
                  { name: 'BASE_URL', value: `http://web.${ns}.svc:${CONTAINER_PORT}` },
                  // The script refuses any host but loopback unless told: here the target is the
                  // web Service of this namespace, which this Job's network policy alone allows.
                  { name: 'ALLOW_NON_LOOPBACK', value: '1' },
                  { name: 'K6_NO_USAGE_REPORT', value: 'true' },
                  { name: 'RATE', value: String(g.rate) },
                  { name: 'DURATION', value: g.duration },
                  { name: 'USERS', value: String(g.users) },
                  { name: 'BOOK_RATIO', value: String(g.bookRatio) },
                ],
                resources: resourceRequirements({
                  requests: { cpu: '200m', memory: '128Mi', ephemeralStorage: '32Mi' },
                  limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '256Mi' },
                }),
                securityContext: restrictedSecurityContext(K6_UID),
                volumeMounts: [
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              {
                name: 'scripts',
                configMap: {
                  name: LOAD_GENERATOR,
                  items: Object.entries(LOAD_GENERATOR_SCRIPTS).map(([key, file]) => ({
                    key,
                    path: file,
                  })),
                },
              },
              { name: 'tmp', emptyDir: { sizeLimit: q('64Mi') } },
            ],
          },
        },
      },
    });
    if (options.networkPolicies.enabled)
      new k8s.KubeNetworkPolicy(this, 'policy', {
        metadata: { ...meta, labels: labels(LOAD_GENERATOR, 'network-policy') },
        spec: {
          podSelector: { matchLabels: selectorLabels(LOAD_GENERATOR) },
          policyTypes: ['Ingress', 'Egress'],
          // Nothing comes in; out, only the web app (DNS through allow-dns).
          egress: [
            {
              to: [{ podSelector: { matchLabels: selectorLabels('web') } }],
              ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(CONTAINER_PORT) }],
            },
          ],
        },
      });
  }
}

/** k6's duration strings as they are written here: 90s, 10m, 1h. */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`loadGenerator.duration: "${duration}" is not like 90s, 10m or 1h`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}
