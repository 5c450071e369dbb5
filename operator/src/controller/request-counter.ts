// Every request of @kubernetes/client-node (generated APIs, KubernetesObjectApi, watches) passes
// through KubeConfig.applySecurityAuthentication: counting there counts real HTTP requests.
import { KubeConfig } from '@kubernetes/client-node';

type RequestContextLike = Parameters<KubeConfig['applySecurityAuthentication']>[0];

export type RequestListener = (method: string, url: string) => void;

export class CountingKubeConfig extends KubeConfig {
  private readonly listeners = new Set<RequestListener>();
  readonly counts = new Map<string, number>();

  static from(source: KubeConfig): CountingKubeConfig {
    const counting = new CountingKubeConfig();
    counting.loadFromString(source.exportConfig());
    counting.setCurrentContext(source.getCurrentContext());
    return counting;
  }

  onRequest(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Requests that change state (everything but GET; watches are GETs). */
  writes(): number {
    return [...this.counts]
      .filter(([method]) => method !== 'GET')
      .reduce((sum, [, n]) => sum + n, 0);
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, n) => sum + n, 0);
  }

  override async applySecurityAuthentication(context: RequestContextLike): Promise<void> {
    const method = String(context.getHttpMethod()).toUpperCase();
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    for (const listener of this.listeners) listener(method, context.getUrl());
    return super.applySecurityAuthentication(context);
  }
}
