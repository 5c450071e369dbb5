import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, selectorLabels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import type { RedisRole } from '../services.js';
import { EXEC_TIMEOUT_SECONDS, LIVENESS, READINESS } from './probes.js';
import { resourceRequirements } from './resources.js';
import { restrictedSecurityContext } from './security-context.js';

export const REDIS_PORT = 6379;
/** uid/gid of the `redis` user in the official image. */
const REDIS_UID = 999;
/** Key of the platform Secret that holds the password every Redis requires. */
export const REDIS_PASSWORD_KEY = 'redis-password';

/**
 * Two Redis servers, one per way of using it, because one eviction policy cannot serve both:
 * - `queue` (BullMQ's jobs and locks: booking's payments, notification's e-mails) never evicts a key
 *   (`noeviction`, as BullMQ requires) and keeps an append-only file on its volume, so a restart loses
 *   no queued job;
 * - `cache` (catalog's cache, the gateway's rate-limit counters) evicts the least recently used key
 *   when full and keeps nothing on disk, so cache pressure can neither evict a job nor make the queue
 *   refuse writes.
 */
export const REDIS_SETTINGS: Record<
  RedisRole,
  { readonly maxmemory: string; readonly policy: string; readonly persistent: boolean }
> = {
  queue: { maxmemory: '192mb', policy: 'noeviction', persistent: true },
  cache: { maxmemory: '96mb', policy: 'allkeys-lru', persistent: false },
};

export function redisName(role: RedisRole): string {
  return `redis-${role}`;
}

/** The URL a service reads as REDIS_URL: Kubernetes expands $(REDIS_PASSWORD), declared before it. */
export function redisUrl(role: RedisRole, options: PlatformOptions): string {
  return `redis://:$(REDIS_PASSWORD)@${redisName(role)}.${options.namespace}.svc:${REDIS_PORT}`;
}

export class Redis extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly options: PlatformOptions; readonly role: RedisRole },
  ) {
    super(scope, id);
    const { options, role } = props;
    const name = redisName(role);
    const settings = REDIS_SETTINGS[role];
    const meta = { name, namespace: options.namespace, labels: labels(name, role) };
    const q = (value: string) => k8s.Quantity.fromString(value);
    // redis-cli reads the password from REDISCLI_AUTH, so it never shows in the process list.
    // Patient with a busy node (probes.ts says why).
    const ping = { exec: { command: ['redis-cli', 'ping'] }, timeoutSeconds: EXEC_TIMEOUT_SECONDS };
    const password = {
      valueFrom: { secretKeyRef: { name: options.secretName, key: REDIS_PASSWORD_KEY } },
    };
    const port = [
      { name: 'redis', port: REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis') },
    ];
    new k8s.KubeService(this, 'service', {
      metadata: meta,
      spec: { selector: selectorLabels(name), ports: port },
    });
    // The StatefulSet's governing Service gives its pod a stable DNS name; it must be headless.
    new k8s.KubeService(this, 'headless', {
      metadata: { ...meta, name: `${name}-hl` },
      spec: { clusterIp: 'None', selector: selectorLabels(name), ports: port },
    });
    const persistence = settings.persistent
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no', '--save', ''];
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: meta,
      spec: {
        serviceName: `${name}-hl`,
        replicas: 1,
        selector: { matchLabels: selectorLabels(name) },
        template: {
          metadata: { labels: labels(name, role) },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: REDIS_UID,
              runAsGroup: REDIS_UID,
              fsGroup: REDIS_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'redis',
                image: options.redis.image,
                imagePullPolicy: options.redis.pullPolicy,
                args: [
                  ...persistence,
                  '--maxmemory',
                  settings.maxmemory,
                  '--maxmemory-policy',
                  settings.policy,
                  '--requirepass',
                  '$(REDIS_PASSWORD)',
                ],
                env: [
                  { name: 'REDIS_PASSWORD', ...password },
                  { name: 'REDISCLI_AUTH', ...password },
                ],
                ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
                // Data is on the volume claim (queue) or nowhere (cache): ephemeral storage is logs.
                resources: resourceRequirements(
                  {
                    requests: { cpu: '50m', memory: '128Mi', ephemeralStorage: '32Mi' },
                    limits: { cpu: '500m', memory: '256Mi', ephemeralStorage: '128Mi' },
                  },
                  options.cpuRequestPercent,
                ),
                readinessProbe: { ...READINESS, ...ping },
                // Alive while it listens: a server loading its append-only file answers LOADING to
                // PING, and restarting it then would only start the load again.
                livenessProbe: {
                  tcpSocket: { port: k8s.IntOrString.fromString('redis') },
                  ...LIVENESS,
                },
                securityContext: restrictedSecurityContext(),
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            ...(settings.persistent
              ? {}
              : { volumes: [{ name: 'data', emptyDir: { sizeLimit: q('16Mi') } }] }),
          },
        },
        ...(settings.persistent
          ? {
              volumeClaimTemplates: [
                {
                  metadata: { name: 'data' },
                  spec: {
                    accessModes: ['ReadWriteOnce'],
                    resources: { requests: { storage: q('1Gi') } },
                  },
                },
              ],
            }
          : {}),
      },
    });
  }
}
