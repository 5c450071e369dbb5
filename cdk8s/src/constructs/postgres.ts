import { ApiObject } from 'cdk8s';
import { ConfigMap, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, PART_OF } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import type { DatabaseSpec, Resources } from '../services.js';
import { EXEC_TIMEOUT_SECONDS, LIVENESS, READINESS } from './probes.js';
import { resourceRequirements, scaledCpu } from './resources.js';
import { restrictedSecurityContext } from './security-context.js';

export const POSTGRES_PORT = 5432;
export const POSTGRES_USER = 'tourkit';
/** uid/gid of the `postgres` user in the official Debian image. */
const POSTGRES_UID = 999;
const PGDATA = '/var/lib/postgresql/data/pgdata';
/** Role label that tells the primary from its replicas (the rw and ro Services select on it). */
export const ROLE_LABEL = 'tourkit.dev/db-role';
/** Each Postgres container; its data lives on the volume claim, so ephemeral storage is logs and /tmp. */
export const POSTGRES_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '256Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '256Mi' },
};

/** How a service reaches its database; the same names with or without CloudNativePG. */
export interface DatabaseEndpoints {
  readonly clusterName: string;
  readonly passwordSecret: string;
  readonly passwordKey: string;
  url(endpoint: 'rw' | 'ro'): string;
  /** Labels of every database pod (primary and replicas) of this service. */
  readonly podLabels: Record<string, string>;
}

export function databaseEndpoints(service: string, options: PlatformOptions): DatabaseEndpoints {
  const clusterName = `${service}-db`;
  const cnpg = options.cloudnativepg.enabled;
  return {
    clusterName,
    // CloudNativePG creates `<cluster>-app` with the owner's password; the plain StatefulSet uses the platform Secret.
    passwordSecret: cnpg ? `${clusterName}-app` : options.secretName,
    passwordKey: cnpg ? 'password' : 'postgres-password',
    url: (endpoint) =>
      `postgres://${POSTGRES_USER}:$(DB_PASSWORD)@${clusterName}-${endpoint}.${options.namespace}.svc:${POSTGRES_PORT}/tourkit_${service}`,
    podLabels: cnpg
      ? { 'cnpg.io/cluster': clusterName }
      : { 'app.kubernetes.io/name': clusterName, 'app.kubernetes.io/part-of': PART_OF },
  };
}

export interface PostgresProps {
  readonly service: string;
  readonly database: DatabaseSpec;
  readonly options: PlatformOptions;
}

/**
 * Postgres as plain StatefulSets with the official image: a primary (`<svc>-db`, Service `<svc>-db-rw`) and
 * streaming hot-standby replicas (`<svc>-db-replica`, Service `<svc>-db-ro`) cloned with pg_basebackup.
 * No automatic failover: that is what the CloudNativePG variant is for.
 */
export class PlainPostgres extends Construct {
  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const { service, database, options } = props;
    const name = `${service}-db`;
    const ns = options.namespace;
    const baseLabels = labels(name, 'database');
    const roleLabels = (role: 'primary' | 'replica') => ({ ...baseLabels, [ROLE_LABEL]: role });
    const podSelector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF };
    const roleSelector = (role: 'primary' | 'replica') => ({
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/part-of': PART_OF,
      [ROLE_LABEL]: role,
    });

    const initScripts: Record<string, string> = {
      // Replicas clone and stream as the database owner (a superuser in the official image).
      '10-replication.sh': `echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"\n`,
    };
    if (database.synchronousStandby) {
      // Takes effect at the first real start, after initdb: the init server itself must not wait for a standby.
      initScripts['20-synchronous.sql'] =
        "ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (*)';\n";
    }
    new ConfigMap(this, 'init', {
      metadata: { name: `${name}-init`, namespace: ns, labels: baseLabels },
      data: initScripts,
    });

    new k8s.KubeService(this, 'headless', {
      metadata: { name: `${name}-hl`, namespace: ns, labels: baseLabels },
      spec: {
        clusterIp: 'None',
        selector: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF },
        ports: [
          {
            name: 'postgres',
            port: POSTGRES_PORT,
            targetPort: k8s.IntOrString.fromString('postgres'),
          },
        ],
      },
    });
    const endpointService = (suffix: 'rw' | 'ro', role: 'primary' | 'replica') =>
      new k8s.KubeService(this, suffix, {
        metadata: { name: `${name}-${suffix}`, namespace: ns, labels: baseLabels },
        spec: {
          selector: roleSelector(role),
          ports: [
            {
              name: 'postgres',
              port: POSTGRES_PORT,
              targetPort: k8s.IntOrString.fromString('postgres'),
            },
          ],
        },
      });
    endpointService('rw', 'primary');

    const password: k8s.EnvVar = {
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: options.secretName, key: 'postgres-password' } },
    };
    const commonEnv: k8s.EnvVar[] = [
      { name: 'POSTGRES_USER', value: POSTGRES_USER },
      { name: 'POSTGRES_DB', value: `tourkit_${service}` },
      { name: 'PGDATA', value: PGDATA },
      password,
    ];

    const statefulSet = (
      role: 'primary' | 'replica',
      replicas: number,
      extra: Partial<k8s.Container>,
    ) =>
      new k8s.KubeStatefulSet(this, role, {
        metadata: {
          name: role === 'primary' ? name : `${name}-replica`,
          namespace: ns,
          labels: roleLabels(role),
        },
        spec: {
          serviceName: `${name}-hl`,
          replicas,
          selector: { matchLabels: roleSelector(role) },
          template: {
            metadata: { labels: roleLabels(role) },
            spec: {
              ...postgresPodSpec(
                options,
                commonEnv,
                extra,
                role === 'primary' ? `${name}-init` : undefined,
              ),
              ...(database.readReplicas > 0
                ? { affinity: apartFromEachOther(podSelector, options.postgres.antiAffinity) }
                : {}),
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: k8s.Quantity.fromString(database.storage) } },
              },
            },
          ],
        },
      });

    statefulSet('primary', 1, {});
    if (database.readReplicas > 0) {
      // One budget over the primary and its replicas (or standby): a drain takes one at a time, and an
      // unready pod, which serves nothing, never blocks it.
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: { name, namespace: ns, labels: baseLabels },
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: podSelector },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
      endpointService('ro', 'replica');
      const host = `${name}-rw.${ns}.svc`;
      statefulSet('replica', database.readReplicas, {
        command: ['bash', '-ec'],
        args: [
          [
            'if [ ! -s "$PGDATA/PG_VERSION" ]; then',
            `  until PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup --host=${host} --username=${POSTGRES_USER} --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream --checkpoint=fast; do`,
            '    echo "waiting for the primary"; rm -rf "$PGDATA"; sleep 2',
            '  done',
            '  chmod 0700 "$PGDATA"',
            'fi',
            'exec postgres',
          ].join('\n'),
        ],
      });
    }
  }
}

/** Keeps the pods that `selector` matches on different nodes: always (`required`) or where it can. */
function apartFromEachOther(
  selector: Record<string, string>,
  mode: PlatformOptions['postgres']['antiAffinity'],
): k8s.Affinity {
  const term: k8s.PodAffinityTerm = {
    labelSelector: { matchLabels: selector },
    topologyKey: 'kubernetes.io/hostname',
  };
  return {
    podAntiAffinity:
      mode === 'required'
        ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
        : {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: term },
            ],
          },
  };
}

function postgresPodSpec(
  options: PlatformOptions,
  env: k8s.EnvVar[],
  extra: Partial<k8s.Container>,
  initConfigMap: string | undefined,
): k8s.PodSpec {
  const q = (value: string) => k8s.Quantity.fromString(value);
  // Patient with a busy node (probes.ts says why).
  const isReady = {
    exec: { command: ['pg_isready', '--host=127.0.0.1', `--username=${POSTGRES_USER}`] },
    timeoutSeconds: EXEC_TIMEOUT_SECONDS,
  };
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 30,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: POSTGRES_UID,
      runAsGroup: POSTGRES_UID,
      fsGroup: POSTGRES_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: 'postgres',
        image: options.postgres.image,
        imagePullPolicy: options.postgres.pullPolicy,
        ...extra,
        ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
        env,
        resources: resourceRequirements(POSTGRES_RESOURCES, options.cpuRequestPercent),
        startupProbe: { ...isReady, periodSeconds: 2, failureThreshold: 150 },
        readinessProbe: { ...READINESS, ...isReady },
        // Liveness asks less than readiness: a server that still listens is alive, even when it
        // refuses queries for a while (recovery, a busy checkpoint); restarting it would not help.
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('postgres') }, ...LIVENESS },
        securityContext: restrictedSecurityContext(),
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/postgresql/data' },
          { name: 'run', mountPath: '/var/run/postgresql' },
          { name: 'tmp', mountPath: '/tmp' },
          ...(initConfigMap
            ? [{ name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true }]
            : []),
        ],
      },
    ],
    volumes: [
      // The server's socket and lock file; sorts and temporary tables spill into /tmp.
      { name: 'run', emptyDir: { sizeLimit: q('16Mi') } },
      { name: 'tmp', emptyDir: { sizeLimit: q('128Mi') } },
      ...(initConfigMap ? [{ name: 'init', configMap: { name: initConfigMap } }] : []),
    ],
  };
}

/**
 * The same database as a CloudNativePG `Cluster`: one primary plus `readReplicas` instances, Services
 * `<svc>-db-rw` / `<svc>-db-ro` and the `<svc>-db-app` Secret made by the operator, automatic failover.
 */
export class CnpgPostgres extends Construct {
  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const { service, database, options } = props;
    const name = `${service}-db`;
    new ApiObject(this, 'cluster', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name, namespace: options.namespace, labels: labels(name, 'database') },
      spec: {
        instances: 1 + database.readReplicas,
        storage: { size: database.storage },
        bootstrap: { initdb: { database: `tourkit_${service}`, owner: POSTGRES_USER } },
        resources: {
          requests: {
            cpu: scaledCpu(POSTGRES_RESOURCES.requests.cpu, options.cpuRequestPercent),
            memory: POSTGRES_RESOURCES.requests.memory,
            'ephemeral-storage': POSTGRES_RESOURCES.requests.ephemeralStorage,
          },
          limits: {
            cpu: POSTGRES_RESOURCES.limits.cpu,
            memory: POSTGRES_RESOURCES.limits.memory,
            'ephemeral-storage': POSTGRES_RESOURCES.limits.ephemeralStorage,
          },
        },
        ...(database.synchronousStandby
          ? {
              postgresql: { synchronous: { method: 'any', number: 1, dataDurability: 'required' } },
            }
          : {}),
      },
    });
  }
}
