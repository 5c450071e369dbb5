// Plain Kubernetes objects for installing the operator and the booking schedule. The cdk8s app
// and the Helm chart consume these (import '@tourkit/operator/deploy/manifests').
import type { KubernetesObject } from '@kubernetes/client-node';
import { operatorCrds, scalingCalendarCrd, scalingScheduleCrd } from '../crd.js';
import {
  API_GROUP,
  API_VERSION,
  CALENDAR_PLURAL,
  KIND,
  PLURAL,
  type ScalingScheduleSpecInput,
} from '../schedule/schema.js';

export const OPERATOR_NAME = 'tourkit-scaling-schedule';
export const METRICS_PORT = 8080;
export const LEASE_NAME = 'tourkit-scaling-schedule-controller';

export interface OperatorManifestOptions {
  namespace: string;
  image: string;
  replicas?: number;
  logLevel?: string;
  /**
   * Namespaces the controller may act in (WATCH_NAMESPACE): a Role and RoleBinding in each instead
   * of the ClusterRole. Absent or empty: the whole cluster.
   */
  watchNamespaces?: string[];
}

const labels = {
  'app.kubernetes.io/name': OPERATOR_NAME,
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/part-of': 'tourkit',
};

/**
 * Exactly what the controller calls, no more: schedules are read, and patched only to drop a
 * pre-0.2 finalizer; status is server-side applied (a PATCH); HPAs are patched (apply, restore).
 */
export function operatorClusterRules() {
  return [
    { apiGroups: [API_GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [API_GROUP], resources: [`${PLURAL}/status`], verbs: ['patch'] },
    { apiGroups: [API_GROUP], resources: [CALENDAR_PLURAL], verbs: ['get', 'list', 'watch'] },
    {
      apiGroups: ['autoscaling'],
      resources: ['horizontalpodautoscalers'],
      verbs: ['get', 'list', 'watch', 'patch'],
    },
    // Sleep windows: the target Deployment to zero and back (only sleeping ones are listed).
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
  ];
}

const subject = (namespace: string) => ({ kind: 'ServiceAccount', name: OPERATOR_NAME, namespace });

function clusterRbac(namespace: string): KubernetesObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: OPERATOR_NAME, labels },
      rules: operatorClusterRules(),
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: OPERATOR_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OPERATOR_NAME },
      subjects: [subject(namespace)],
    } as KubernetesObject,
  ];
}

/** The same rules, granted only in the watched namespaces. */
function namespacedRbac(watchNamespaces: string[], namespace: string): KubernetesObject[] {
  return watchNamespaces.flatMap((watched) => [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: OPERATOR_NAME, namespace: watched, labels },
      rules: operatorClusterRules(),
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: OPERATOR_NAME, namespace: watched, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OPERATOR_NAME },
      subjects: [subject(namespace)],
    } as KubernetesObject,
  ]);
}

export function operatorManifests(options: OperatorManifestOptions): KubernetesObject[] {
  const { namespace, image, replicas = 2, logLevel = 'info', watchNamespaces = [] } = options;
  const meta = (name: string) => ({ name, namespace, labels });
  return [
    ...operatorCrds(),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(OPERATOR_NAME),
      automountServiceAccountToken: true,
    } as KubernetesObject,
    ...(watchNamespaces.length > 0
      ? namespacedRbac(watchNamespaces, namespace)
      : clusterRbac(namespace)),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(`${OPERATOR_NAME}-leader-election`),
      rules: [
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'create', 'update'],
        },
      ],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(`${OPERATOR_NAME}-leader-election`),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: `${OPERATOR_NAME}-leader-election`,
      },
      subjects: [{ kind: 'ServiceAccount', name: OPERATOR_NAME, namespace }],
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(OPERATOR_NAME),
      spec: {
        replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': OPERATOR_NAME } },
        template: {
          metadata: {
            labels,
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(METRICS_PORT),
              'prometheus.io/path': '/metrics',
            },
          },
          spec: {
            serviceAccountName: OPERATOR_NAME,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 10001,
              runAsGroup: 10001,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'controller',
                image,
                imagePullPolicy: 'IfNotPresent',
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  {
                    name: 'POD_NAMESPACE',
                    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                  },
                  { name: 'LEASE_NAME', value: LEASE_NAME },
                  { name: 'METRICS_PORT', value: String(METRICS_PORT) },
                  { name: 'LOG_LEVEL', value: logLevel },
                  ...(watchNamespaces.length > 0
                    ? [{ name: 'WATCH_NAMESPACE', value: watchNamespaces.join(',') }]
                    : []),
                ],
                ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
                // Patient with a busy node: the 1 s default timed out on the two-CPU real node while
                // every pod started, and the restarts cost a leader election each.
                livenessProbe: {
                  httpGet: { path: '/livez', port: 'metrics' },
                  periodSeconds: 10,
                  timeoutSeconds: 5,
                  failureThreshold: 6,
                },
                readinessProbe: {
                  httpGet: { path: '/readyz', port: 'metrics' },
                  periodSeconds: 5,
                  timeoutSeconds: 3,
                },
                // It writes nothing to disk: ephemeral storage is its log.
                resources: {
                  requests: { cpu: '20m', memory: '64Mi', 'ephemeral-storage': '16Mi' },
                  limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '64Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(`${OPERATOR_NAME}-metrics`),
      spec: {
        selector: { 'app.kubernetes.io/name': OPERATOR_NAME },
        ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' }],
      },
    } as KubernetesObject,
  ];
}

/**
 * An HPA whose bounds a ScalingSchedule moves must not have them in the manifests applied on every
 * deploy: the controller owns spec.minReplicas and spec.maxReplicas by server-side apply, and a
 * second `kubectl apply --server-side` carrying other values fails with conflicts (or, forced,
 * resets them until the next reconcile). maxReplicas is required, though, so the HPA is split:
 *  - `initial`: the least that creates it (name, scaleTargetRef, the bounds), created once when
 *    absent (`kubectl create`, field manager HPA_INITIAL_FIELD_MANAGER) and never applied again. Its
 *    manager keeps scaleTargetRef (shared with the applied half, same value) and the bounds until the
 *    controller takes them; metrics and behaviour are never the initial HPA's, so changing them later
 *    conflicts with nobody;
 *  - `applied`: the HPA without the two bounds, applied on every deploy.
 */
export function splitScheduledHpa<
  T extends {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string };
    spec?: Record<string, unknown>;
  },
>(hpa: T): { initial: T; applied: T } {
  const { minReplicas, maxReplicas, scaleTargetRef, ...rest } = hpa.spec ?? {};
  const initial = {
    apiVersion: hpa.apiVersion,
    kind: hpa.kind,
    metadata: {
      name: hpa.metadata?.name,
      ...(hpa.metadata?.namespace ? { namespace: hpa.metadata.namespace } : {}),
    },
    spec: { scaleTargetRef, minReplicas, maxReplicas },
  } as unknown as T;
  return { initial, applied: { ...hpa, spec: { scaleTargetRef, ...rest } } };
}

export const HPA_INITIAL_FIELD_MANAGER = 'tourkit-hpa-initial';

/** The course's booking schedule: weekdays 09–17 5–10, nights 2–4 (default), weekends 7–15. */
export function bookingScheduleSpec(hpaName = 'booking'): ScalingScheduleSpecInput {
  return {
    targetRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: hpaName },
    timeZone: 'Europe/Paris',
    default: { minReplicas: 2, maxReplicas: 4 },
    windows: [
      {
        name: 'business-hours',
        days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
        start: '09:00',
        end: '17:00',
        minReplicas: 5,
        maxReplicas: 10,
        priority: 10,
      },
      {
        name: 'weekend',
        days: ['Sat', 'Sun'],
        start: '00:00',
        end: '24:00',
        minReplicas: 7,
        maxReplicas: 15,
        priority: 20,
      },
    ],
    leadTime: '5m',
  };
}

export function bookingSchedule(options: {
  namespace: string;
  name?: string;
  hpaName?: string;
}): KubernetesObject & { spec: ScalingScheduleSpecInput } {
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    metadata: {
      name: options.name ?? 'booking',
      namespace: options.namespace,
      labels: { 'app.kubernetes.io/part-of': 'tourkit' },
    },
    spec: bookingScheduleSpec(options.hpaName),
  };
}

export { operatorCrds, scalingCalendarCrd, scalingScheduleCrd };
