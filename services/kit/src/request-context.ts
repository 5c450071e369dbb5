import { AsyncLocalStorage } from 'node:async_hooks';

/** What the kit knows about the request being served, for code far from `req` (logs, outgoing calls). */
export interface RequestContext {
  requestId: string;
  traceId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
