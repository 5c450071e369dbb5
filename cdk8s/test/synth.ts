/** Test helper: the platform's objects as plain JSON, with lookups by kind and name. */
import { App, Testing } from 'cdk8s';
import { resolveOptions, type PartialOptions } from '../src/options.js';
import { buildPlatform } from '../src/platform.js';

/** Synthesized manifests are untyped JSON; tests walk them freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Json;
  data?: Record<string, string>;
  [key: string]: Json;
};

/**
 * The one value production must give (its default is empty and refuses to render): tests of the
 * production defaults synthesize with it, as `helm template --set publicUrl=...` renders the chart.
 */
export const EXAMPLE_PUBLIC_URL = 'https://tours.example.com';

export function synthPlatform(overrides: PartialOptions = {}) {
  const app: App = Testing.app();
  const charts = buildPlatform(
    app,
    resolveOptions({ publicUrl: EXAMPLE_PUBLIC_URL, ...overrides }),
  );
  const namespace = Testing.synth(charts.namespace) as K8sObject[];
  const crds = charts.crds ? (Testing.synth(charts.crds) as K8sObject[]) : [];
  // What `helm template` renders: the platform and, when enabled, the operator (its CRD is apart, in crds/).
  // An HPA a schedule manages is there whole: the applied half with its initial HPA's bounds (what
  // `make deploy` leaves live: the initial HPA created first, then the platform applied).
  const initials = charts.hpaInitial ? (Testing.synth(charts.hpaInitial) as K8sObject[]) : [];
  const whole = (o: K8sObject): K8sObject => {
    const initial = initials.find((s) => s.kind === o.kind && s.metadata.name === o.metadata.name);
    if (!initial) return o;
    const { scaleTargetRef, ...rest } = o.spec;
    const { minReplicas, maxReplicas } = initial.spec;
    return { ...o, spec: { scaleTargetRef, minReplicas, maxReplicas, ...rest } };
  };
  const platform = [
    ...(Testing.synth(charts.platform) as K8sObject[]).map(whole),
    ...(charts.operator ? (Testing.synth(charts.operator) as K8sObject[]) : []),
  ];
  const find = (kind: string, name: string): K8sObject => {
    const found = platform.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind}/${name} in the synthesized platform`);
    return found;
  };
  const maybe = (kind: string, name: string) =>
    platform.find((o) => o.kind === kind && o.metadata.name === name);
  const ofKind = (kind: string) => platform.filter((o) => o.kind === kind);
  return { namespace, crds, platform, find, maybe, ofKind };
}
