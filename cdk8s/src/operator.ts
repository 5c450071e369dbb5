/**
 * The ScalingSchedule operator (built in operator/), included from its own manifests so there is one
 * definition: the CRD apart (it must be established before any ScalingSchedule is applied), then the
 * controller with its RBAC, and the course's booking schedule.
 */
import { ApiObject, Chart, JsonPatch, type App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  bookingSchedule,
  METRICS_PORT,
  OPERATOR_NAME,
  operatorCrds,
  operatorManifests,
  splitScheduledHpa,
} from '@tourkit/operator/deploy/manifests';
import { stringify } from 'yaml';
import { labels } from './labels.js';
import type { PlatformOptions } from './options.js';

type PlainObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
} & Record<string, unknown>;

function include(chart: Chart, object: PlainObject): ApiObject {
  const { apiVersion, kind, metadata, ...rest } = object;
  if (!apiVersion || !kind || !metadata?.name)
    throw new Error('operator manifest without apiVersion, kind or name');
  // The namespace is part of the id: in namespace-scoped mode each watched namespace has a Role of the same name.
  const id = [kind, metadata.namespace, metadata.name].filter(Boolean).map(String).join('-');
  const api = new ApiObject(chart, id, {
    apiVersion,
    kind,
    metadata: metadata as { name: string },
  });
  // ApiObjectProps types only metadata; the rest (spec, rules, roleRef...) goes in as JSON patches.
  for (const [key, value] of Object.entries(rest))
    api.addJsonPatch(JsonPatch.add(`/${key}`, value));
  return api;
}

export class CrdChart extends Chart {
  constructor(scope: App, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const crd of operatorCrds()) include(this, crd as unknown as PlainObject);
  }
}

export class OperatorChart extends Chart {
  constructor(scope: App, id: string, options: PlatformOptions) {
    super(scope, id, { disableResourceNameHashes: true });
    const objects = operatorManifests({
      namespace: options.namespace,
      image: options.operator.image,
      replicas: options.operator.replicas,
      watchNamespaces: [...options.operator.watchNamespaces],
    }) as unknown as PlainObject[];
    for (const object of objects)
      if (object.kind !== 'CustomResourceDefinition') include(this, object);
    include(this, bookingSchedule({ namespace: options.namespace }) as unknown as PlainObject);
    if (options.networkPolicies.enabled) {
      // Under the namespace's default deny: the controller talks to the API server and is scraped.
      new k8s.KubeNetworkPolicy(this, 'network-policy', {
        metadata: {
          name: OPERATOR_NAME,
          namespace: options.namespace,
          labels: labels(OPERATOR_NAME, 'network-policy'),
        },
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': OPERATOR_NAME } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { 'kubernetes.io/metadata.name': options.monitoringNamespace },
                  },
                },
              ],
              ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(METRICS_PORT) }],
            },
          ],
          egress: [
            {
              ports: [
                { protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) },
                { protocol: 'TCP', port: k8s.IntOrString.fromNumber(6443) },
              ],
            },
          ],
        },
      });
    }
  }
}

/** The HPAs the operator chart's ScalingSchedules target (spec.targetRef.name). */
export function scheduledHpaNames(options: PlatformOptions): string[] {
  return [bookingSchedule({ namespace: options.namespace }).spec.targetRef.name];
}

/**
 * The initial HPA of each HPA a ScalingSchedule manages (name, scaleTargetRef, bounds), created once by
 * `make deploy` when absent (`kubectl create`); the platform chart keeps the same HPA without
 * minReplicas/maxReplicas, so re-applying it never contests the controller (see splitScheduledHpa).
 */
export class HpaInitialChart extends Chart {
  /**
   * The applied half of each such HPA, on its own: applied once with --force-conflicts right
   * after its initial HPA is created, so that tourkit (not the initial HPA's manager, which also owns what the
   * API server defaulted, such as metrics) owns everything but the bounds from then on.
   */
  readonly handover: Chart;

  constructor(scope: App, id: string, platform: Chart, hpaNames: readonly string[]) {
    super(scope, id, { disableResourceNameHashes: true });
    this.handover = new Chart(scope, `${id.replace(/-initial$/, '')}-handover`, {
      disableResourceNameHashes: true,
    });
    const hpas = platform.node
      .findAll()
      .filter(
        (c): c is ApiObject =>
          c instanceof ApiObject &&
          c.kind === 'HorizontalPodAutoscaler' &&
          hpaNames.includes(c.metadata.name!),
      );
    for (const hpa of hpas) {
      const { initial } = splitScheduledHpa(
        hpa.toJson() as PlainObject & { spec?: Record<string, unknown> },
      );
      include(this, initial);
      hpa.addJsonPatch(JsonPatch.remove('/spec/minReplicas'));
      hpa.addJsonPatch(JsonPatch.remove('/spec/maxReplicas'));
      include(this.handover, splitScheduledHpa(hpa.toJson() as PlainObject).applied);
    }
  }
}

/** The CRDs as the Helm chart ships them in crds/ (Helm installs those first and never templates them), by file name. */
export function crdFiles(): Record<string, string> {
  return Object.fromEntries(
    operatorCrds().map((crd) => [
      `${crd.metadata!.name}.yaml`,
      `# Generated from operator/src/crd.ts by \`make chart-files\`; do not edit.\n${stringify(crd)}`,
    ]),
  );
}
