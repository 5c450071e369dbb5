import { createRequire, register } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { OTLPTraceExporter as OTLPTraceExporterClass } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import type { ExpressInstrumentation as ExpressInstrumentationClass } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { IORedisInstrumentation as IORedisInstrumentationClass } from '@opentelemetry/instrumentation-ioredis';
import type { PgInstrumentation as PgInstrumentationClass } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { NodeSDK as NodeSDKClass } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, ParentBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { markFetchInstrumented } from './fetch-instrumentation-flag.js';

/**
 * What only exporting needs (the Node SDK with all its exporters, the OTLP trace exporter, the
 * express/pg/ioredis instrumentations) is loaded then, with require (they ship CommonJS): a service
 * that exports nothing never loads them (~25 MiB RSS, ~0.5 s of start-up; bench/README.md).
 */
const load = createRequire(import.meta.url);

export interface TracingOptions {
  /** Defaults to `process.env.OTEL_EXPORTER_OTLP_ENDPOINT`; spans are exported only when set. */
  otlpEndpoint?: string | undefined;
  /** Default true. Tests that only need context propagation pass false. */
  instrumentations?: boolean;
  /** Register import-in-the-middle so ESM imports are instrumented too; default true. */
  registerEsmHook?: boolean;
}

export interface Tracing {
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

type SpanProcessor = NonNullable<
  NonNullable<ConstructorParameters<typeof NodeSDKClass>[0]>['spanProcessors']
>[number];

/**
 * Without an exporter the SDK would install no tracer provider at all, and spans would carry no ids: keep a
 * provider whose spans go nowhere, so trace ids still reach the logs and downstream services.
 */
const discardSpans: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * NodeSDK would otherwise start OTLP metric and log exporters by default, whose final flush to an absent collector
 * holds shutdown for seconds. Metrics are scraped from /metrics and logs go to stdout, so those exporters run only
 * when OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER ask for them (the SDK then reads those variables itself).
 */
export function exportedSignalsOptions(
  environment: Record<string, string | undefined> = process.env,
): { metricReaders?: []; logRecordProcessors?: [] } {
  return {
    ...(environment.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(environment.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  };
}

/**
 * Starts tracing (W3C trace context + baggage propagation): the OpenTelemetry Node SDK when
 * something is exported (spans, or metrics/logs asked for by OTEL_METRICS_EXPORTER /
 * OTEL_LOGS_EXPORTER), else only a tracer provider that records nothing and the id carriers.
 * Call it before express, pg, ioredis are imported: this module imports none of them. Idempotent.
 */
export function initTracing(serviceName: string, options: TracingOptions = {}): Tracing {
  if (started) return started;
  const endpoint =
    'otlpEndpoint' in options ? options.otlpEndpoint : process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporting = endpoint !== undefined && endpoint !== '';
  // import-in-the-middle is what instruments packages loaded with `import` (express, pg, ioredis:
  // only when exporting). Without an exporter the id carriers need no ESM hook: the HTTP server is
  // patched through `require('http')` (express loads it as CommonJS) and fetch through diagnostics
  // channels; the hook's loader thread would cost ~25 MiB and ~0.7 s of start-up (bench/README.md).
  if (exporting && options.registerEsmHook !== false && options.instrumentations !== false) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  }
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName });
  const instrumentations = options.instrumentations === false ? [] : instrumentationsFor(exporting);
  // Spans nobody exports need not be recorded: a non-recording span still carries its trace id
  // (a new one, or the caller's) to the logs and to outgoing calls, without the attributes,
  // events and end-of-span work of every request. A caller's decision to sample passes on
  // unchanged (parent-based); a trace begun here is marked not sampled.
  const unrecorded = new ParentBasedSampler({ root: new AlwaysOffSampler() });
  let stop: () => Promise<void>;
  if (exporting || usesSdkSignals()) {
    const { NodeSDK } = load('@opentelemetry/sdk-node') as { NodeSDK: typeof NodeSDKClass };
    const sdk = new NodeSDK({
      resource,
      ...exportedSignalsOptions(),
      ...(exporting
        ? { traceExporter: otlpTraceExporter(endpoint) }
        : { spanProcessors: [discardSpans], sampler: unrecorded }),
      instrumentations,
    });
    sdk.start();
    stop = () => sdk.shutdown();
  } else {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    );
    const provider = new TracerProvider({ resource, sampler: unrecorded });
    trace.setGlobalTracerProvider(provider);
    const unregister = registerInstrumentations({ instrumentations, tracerProvider: provider });
    stop = async () => {
      unregister();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    };
  }
  markFetchInstrumented(options.instrumentations !== false);
  if (options.instrumentations !== false) warnIfLoadedTooEarly();
  started = {
    shutdown: async () => {
      started = undefined;
      markFetchInstrumented(false);
      await stop();
    },
  };
  return started;
}

/**
 * The HTTP server and fetch (undici) instrumentations carry the trace id: incoming traceparent, the id in the
 * logs, traceparent on outgoing calls. Express, pg and ioredis only add child spans, which cost a span per
 * middleware and per query on every request: without an exporter nobody would ever see them.
 */
export function instrumentationsFor(exporting: boolean): Instrumentation[] {
  const carriers: Instrumentation[] = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => /^\/(livez|readyz|health|metrics)\b/.test(req.url ?? ''),
    }),
    new UndiciInstrumentation(),
  ];
  if (!exporting) return carriers;
  const { ExpressInstrumentation } = load('@opentelemetry/instrumentation-express') as {
    ExpressInstrumentation: typeof ExpressInstrumentationClass;
  };
  const { PgInstrumentation } = load('@opentelemetry/instrumentation-pg') as {
    PgInstrumentation: typeof PgInstrumentationClass;
  };
  const { IORedisInstrumentation } = load('@opentelemetry/instrumentation-ioredis') as {
    IORedisInstrumentation: typeof IORedisInstrumentationClass;
  };
  return [
    ...carriers,
    new ExpressInstrumentation(),
    new PgInstrumentation(),
    new IORedisInstrumentation(),
  ];
}

/** Whether OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER ask the SDK for metric or log exporters. */
function usesSdkSignals(environment: Record<string, string | undefined> = process.env): boolean {
  return Boolean(environment.OTEL_METRICS_EXPORTER || environment.OTEL_LOGS_EXPORTER);
}

function otlpTraceExporter(endpoint: string): OTLPTraceExporterClass {
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-http') as {
    OTLPTraceExporter: typeof OTLPTraceExporterClass;
  };
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
}

const INSTRUMENTED_PACKAGES = ['express', 'pg', 'ioredis'];

/** Patching happens on load: a package loaded before initTracing stays uninstrumented, silently. Say so. */
function warnIfLoadedTooEarly(): void {
  const loaded = Object.keys(load.cache);
  const early = INSTRUMENTED_PACKAGES.filter((name) =>
    loaded.some((path) => path.includes(`/node_modules/${name}/`)),
  );
  if (early.length > 0) {
    process.emitWarning(
      `initTracing ran after ${early.join(', ')} was loaded, so those calls get no spans. ` +
        "Start the service with runMain from '@tourkit/kit/main', which loads the rest with await import() after tracing.",
      'TourkitTracingWarning',
    );
  }
}
