import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, selectorLabels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import { restrictedSecurityContext } from './security-context.js';

export const REDIS_PORT = 6379;
/** uid/gid of the `redis` user in the official image. */
const REDIS_UID = 999;

/** One Redis for the cache (catalog), the queues (booking, notification) and the gateway's rate limit. */
export class Redis extends Construct {
  constructor(scope: Construct, id: string, props: { readonly options: PlatformOptions }) {
    super(scope, id);
    const { options } = props;
    const meta = { name: 'redis', namespace: options.namespace, labels: labels('redis', 'cache') };
    const q = (value: string) => k8s.Quantity.fromString(value);
    const ping = { exec: { command: ['redis-cli', 'ping'] } };
    new k8s.KubeService(this, 'service', {
      metadata: meta,
      spec: {
        selector: selectorLabels('redis'),
        ports: [
          { name: 'redis', port: REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis') },
        ],
      },
    });
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: meta,
      spec: {
        serviceName: 'redis',
        replicas: 1,
        selector: { matchLabels: selectorLabels('redis') },
        template: {
          metadata: { labels: labels('redis', 'cache') },
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
                imagePullPolicy: 'IfNotPresent',
                // Queues survive a restart (append-only file); the cache is bounded and evicts least-recently-used keys.
                args: [
                  '--appendonly',
                  'yes',
                  '--maxmemory',
                  '192mb',
                  '--maxmemory-policy',
                  'volatile-lru',
                ],
                ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
                resources: {
                  requests: { cpu: q('50m'), memory: q('128Mi') },
                  limits: { cpu: q('500m'), memory: q('256Mi') },
                },
                readinessProbe: { ...ping, periodSeconds: 5 },
                livenessProbe: { ...ping, periodSeconds: 10, failureThreshold: 3 },
                securityContext: restrictedSecurityContext(),
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: q('1Gi') } },
            },
          },
        ],
      },
    });
  }
}
