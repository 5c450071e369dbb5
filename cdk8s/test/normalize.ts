/** Comparing rendered manifests: parse multi-document YAML, drop what only Helm adds, index by kind/name. */
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './synth.js';

/** Labels Helm's conventions add and the cdk8s app does not. */
export const HELM_ONLY_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
];

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

export function withoutHelmLabels(object: K8sObject): K8sObject {
  const copy = structuredClone(object);
  const labels = copy.metadata.labels;
  if (labels) {
    for (const key of HELM_ONLY_LABELS) delete labels[key];
    if (Object.keys(labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** ConfigMap values that hold JSON (dashboards) compare by content: the chart's copy is prettier-formatted. */
export function withParsedJsonData(object: K8sObject): K8sObject {
  if (object.kind !== 'ConfigMap' || !object.data) return object;
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object.data))
    data[key] = key.endsWith('.json') ? JSON.parse(value) : value;
  return { ...object, data: data as Record<string, string> };
}

/** kind/namespace/name (kind/name when cluster-scoped): the operator has a Role of the same name per watched namespace. */
export const objectKey = (o: K8sObject) =>
  [o.kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join('/');

export function byKey(objects: K8sObject[]): Map<string, K8sObject> {
  const map = new Map<string, K8sObject>();
  for (const o of objects) {
    const key = objectKey(o);
    if (map.has(key)) throw new Error(`${key} appears twice`);
    map.set(key, o);
  }
  return map;
}
