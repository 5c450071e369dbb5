// Every request of @kubernetes/client-node (generated APIs, KubernetesObjectApi, watches) passes
// through KubeConfig.applySecurityAuthentication. This subclass uses that one door for three things:
//  - counting real HTTP requests (by method, and writes by resource for the benchmark);
//  - one connection pool: client-node 2.0 builds a new undici Agent for EVERY request (config.js,
//    applySecurityAuthentication → createDispatcher), i.e. a new TLS handshake per call; the first
//    dispatcher is kept and reused, as client-go reuses one transport;
//  - a write fence: a guard (the leader elector's) may refuse a write before it is sent.
import { KubeConfig } from '@kubernetes/client-node';

type RequestContextLike = Parameters<KubeConfig['applySecurityAuthentication']>[0];
type Dispatcher = NonNullable<ReturnType<RequestContextLike['getDispatcher']>>;

export type RequestListener = (method: string, url: string) => void;
/** Throws to refuse a request (it is then never sent). */
export type RequestGuard = (method: string, url: string) => void;

/** The resource a request URL addresses, e.g. "horizontalpodautoscalers", "scalingschedules/status". */
export function resourceOf(url: string): string {
  const path = new URL(url, 'https://x').pathname.split('/').filter(Boolean);
  // /api/v1/namespaces/ns/events, /apis/g/v/namespaces/ns/plural/name/status, /apis/g/v/plural
  const start = path[0] === 'api' ? 2 : 3;
  let rest = path.slice(start);
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [plural = '', , sub] = rest;
  return sub ? `${plural}/${sub}` : plural;
}

export class WriteRefused extends Error {
  readonly code = 'WRITE_REFUSED';
}

export class CountingKubeConfig extends KubeConfig {
  private readonly listeners = new Set<RequestListener>();
  private guard: RequestGuard | undefined;
  private dispatcher: Dispatcher | undefined;
  readonly counts = new Map<string, number>();
  /** Non-GET requests by resource (see resourceOf). */
  readonly writesByResource = new Map<string, number>();
  /** Every request by "VERB resource", a watch counted as "WATCH" (the benchmark prints it). */
  readonly byVerbAndResource = new Map<string, number>();

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

  setGuard(guard: RequestGuard | undefined): void {
    this.guard = guard;
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

  resetCounts(): void {
    this.counts.clear();
    this.writesByResource.clear();
    this.byVerbAndResource.clear();
  }

  override async applySecurityAuthentication(context: RequestContextLike): Promise<void> {
    const method = String(context.getHttpMethod()).toUpperCase();
    const url = context.getUrl();
    if (method !== 'GET') this.guard?.(method, url);
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    if (method !== 'GET') {
      const resource = resourceOf(url);
      this.writesByResource.set(resource, (this.writesByResource.get(resource) ?? 0) + 1);
    }
    const verb = method === 'GET' && /[?&]watch=true/.test(url) ? 'WATCH' : method;
    const kind = `${verb} ${resourceOf(url)}`;
    this.byVerbAndResource.set(kind, (this.byVerbAndResource.get(kind) ?? 0) + 1);
    for (const listener of this.listeners) listener(method, url);
    await super.applySecurityAuthentication(context);
    // The agent super made for this request has no socket yet: drop it, reuse the pooled one.
    if (this.dispatcher) context.setDispatcher(this.dispatcher);
    else this.dispatcher = context.getDispatcher();
  }
}
