/**
 * `make up` against the cluster that KUBECONFIG names: how the images built here reach that
 * cluster's nodes. Pure: it reads the current context as `kubectl config view --minify -o json`
 * prints it, and the make variables IMAGE_LOAD and REGISTRY; cluster-target-cli.ts does the I/O.
 *
 * - kind: `kind load docker-image --name <cluster>` (kind names its context `kind-<cluster>`);
 * - minikube: `minikube image load --profile <profile>` (minikube names its context after the profile
 *   and marks the cluster with a `cluster_info` extension whose provider is minikube.sigs.k8s.io);
 * - registry: push to REGISTRY, which the cluster pulls from (any cluster; also kind or minikube when
 *   REGISTRY is given, since a registry is what the user then asked for).
 */

/** The parts of `kubectl config view --minify -o json` this reads (the current context only). */
export interface KubeconfigView {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: {
    name: string;
    cluster?: {
      server?: string;
      extensions?: { name: string; extension?: { provider?: string } }[];
    };
  }[];
}

export const IMAGE_LOADS = ['kind', 'minikube', 'registry'] as const;
export type ImageLoad = (typeof IMAGE_LOADS)[number];

export type ClusterTarget =
  | { load: 'kind'; context: string; server: string; kindCluster: string }
  | { load: 'minikube'; context: string; server: string; minikubeProfile: string }
  | { load: 'registry'; context: string; server: string; registry: string };

export interface TargetSettings {
  /** IMAGE_LOAD: empty to detect, else one of IMAGE_LOADS. */
  imageLoad?: string;
  /** REGISTRY: where images are pushed to and pulled from (host[:port][/path]). */
  registry?: string;
}

const MINIKUBE_PROVIDER = 'minikube.sigs.k8s.io';
// Names that end up in shell words and command arguments: what kind, minikube and a registry
// reference allow, nothing a shell would read.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Decides how `make up` loads images into the current context's cluster; throws a message naming the setting to fix. */
export function chooseClusterTarget(
  view: KubeconfigView,
  settings: TargetSettings = {},
): ClusterTarget {
  const context = view['current-context'] ?? '';
  if (!context) {
    throw new Error(
      'KUBECONFIG has no current context: set one (kubectl config use-context NAME) or unset KUBECONFIG',
    );
  }
  const clusterName = view.contexts?.find((c) => c.name === context)?.context?.cluster ?? '';
  const cluster = view.clusters?.find((c) => c.name === clusterName)?.cluster;
  const server = cluster?.server ?? '';
  const registry = (settings.registry ?? '').trim().replace(/\/$/, '');
  const imageLoad = (settings.imageLoad ?? '').trim();

  if (registry && !REGISTRY.test(registry)) {
    throw new Error(
      `REGISTRY "${registry}" is not a registry reference (host[:port][/path], lower case)`,
    );
  }
  if (imageLoad && !(IMAGE_LOADS as readonly string[]).includes(imageLoad)) {
    throw new Error(
      `IMAGE_LOAD "${imageLoad}" is not one of ${IMAGE_LOADS.join(', ')} (or empty, to detect)`,
    );
  }

  const kindCluster = context.startsWith('kind-') ? context.slice('kind-'.length) : '';
  const minikube =
    cluster?.extensions?.some((e) => e.extension?.provider === MINIKUBE_PROVIDER) ?? false;
  const load: ImageLoad =
    (imageLoad as ImageLoad | '') ||
    (registry ? 'registry' : kindCluster ? 'kind' : minikube ? 'minikube' : 'registry');

  switch (load) {
    case 'registry':
      if (!registry) {
        throw new Error(
          `context "${context}" (server ${server || 'unknown'}) is neither kind nor minikube: give REGISTRY=host[:port][/path], ` +
            'a registry this machine can push to and the cluster can pull from (or IMAGE_LOAD=kind|minikube if it is one)',
        );
      }
      return { load, context, server, registry };
    case 'kind': {
      const name = kindCluster || context;
      if (!NAME.test(name))
        throw new Error(
          `kind cluster name "${name}" (from context "${context}") is not a plain name`,
        );
      return { load, context, server, kindCluster: name };
    }
    case 'minikube':
      if (!NAME.test(context))
        throw new Error(`minikube profile "${context}" (the context's name) is not a plain name`);
      return { load, context, server, minikubeProfile: context };
  }
}

/** The decision as KEY=value lines for make's shell (every value matched NAME or REGISTRY above). */
export function targetShellLines(target: ClusterTarget): string {
  const lines = [`IMAGE_LOAD=${target.load}`];
  if (target.load === 'kind') lines.push(`KIND_CLUSTER=${target.kindCluster}`);
  if (target.load === 'minikube') lines.push(`MINIKUBE_PROFILE=${target.minikubeProfile}`);
  if (target.load === 'registry') lines.push(`REGISTRY=${target.registry}`);
  return `${lines.join('\n')}\n`;
}
