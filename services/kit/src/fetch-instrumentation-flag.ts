// Shared by tracing.ts (which must not import the rest of the kit) and http-client.ts: when the undici
// instrumentation is active it injects traceparent into every fetch itself, and a second copy from the
// client would make the header invalid (W3C: several traceparent values are ignored).
const FLAG = Symbol.for('tourkit.fetchInstrumented');

export function markFetchInstrumented(active: boolean): void {
  (globalThis as Record<symbol, unknown>)[FLAG] = active;
}

export function isFetchInstrumented(): boolean {
  return (globalThis as Record<symbol, unknown>)[FLAG] === true;
}
