// One informer per watched namespace (or one for the cluster) behind the cache interface the
// controller reads: get/list by namespace, the same events, start and stop together.
import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import { watchPaths } from './watch-scope.js';

type Cache<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;
type ObjectCallback<T> = (object: T) => void;

export class ScopedInformer<T extends KubernetesObject> {
  /** Namespace ('' for cluster-wide) → its informer. */
  private readonly byNamespace = new Map<string, Cache<T>>();

  constructor(
    kubeConfig: KubeConfig,
    collection: { group: string; version: string; plural: string },
    namespaces: readonly string[],
    list: (namespace: string | undefined) => Promise<KubernetesListObject<T>>,
    /** Only the objects it selects are listed, watched and cached (the list must apply it too). */
    labelSelector?: string,
  ) {
    for (const { namespace, path } of watchPaths(collection, namespaces)) {
      this.byNamespace.set(
        namespace ?? '',
        makeInformer<T>(kubeConfig, path, () => list(namespace), labelSelector),
      );
    }
  }

  get informers(): Cache<T>[] {
    return [...this.byNamespace.values()];
  }

  private cacheFor(namespace: string | undefined): Cache<T> | undefined {
    return this.byNamespace.get('') ?? this.byNamespace.get(namespace ?? '');
  }

  get(name: string, namespace: string): T | undefined {
    return this.cacheFor(namespace)?.get(name, namespace);
  }

  list(namespace: string | undefined): T[] {
    if (namespace === undefined) return this.informers.flatMap((informer) => [...informer.list()]);
    return [...(this.cacheFor(namespace)?.list(namespace) ?? [])];
  }

  on(verb: 'add' | 'update' | 'delete', callback: ObjectCallback<T>): void {
    for (const informer of this.informers) informer.on(verb, callback);
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }
}
