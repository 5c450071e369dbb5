import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
} from '@opentelemetry/api';

/** W3C trace-context headers (`traceparent`, `tracestate`) as stored beside a message. */
export type TraceCarrier = Record<string, string>;

/**
 * The active trace as W3C headers, to store with a message another pass or process delivers later
 * (an outbox row): null outside any trace, so a row written by a background sweep carries none.
 */
export function currentTraceCarrier(): TraceCarrier | null {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

/**
 * Runs `work` in a consumer span whose parent is the stored trace (none: a trace of its own, never
 * the trace of whatever woke the relay), so a delivery joins the request that recorded the message.
 */
export function inStoredTrace<T>(
  name: string,
  carrier: TraceCarrier | null | undefined,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  return trace
    .getTracer('@tourkit/kit')
    .startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
}
