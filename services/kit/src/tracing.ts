import { createRequire, register } from 'node:module';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AlwaysOffSampler, ParentBasedSampler } from '@opentelemetry/sdk-trace';
import { markFetchInstrumented } from './fetch-instrumentation-flag.js';

export interface TracingOptions {
  /** Defaults to `process.env.OTEL_EXPORTER_OTLP_ENDPOINT`; spans are exported only when set. */
  otlpEndpoint?: string | undefined;
  /** Default true. Tests that only need context propagation pass false. */
  instrumentations?: boolean;
  /** Register import-in-the-middle so ESM imports are instrumented too; default true. */
  registerEsmHook?: boolean;
}

export interface Tracing {
  sdk: NodeSDK;
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

type SpanProcessor = NonNullable<
  NonNullable<ConstructorParameters<typeof NodeSDK>[0]>['spanProcessors']
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
 * Starts the OpenTelemetry Node SDK (its default propagators: W3C trace context + baggage). Call it before express, pg,
 * ioredis are imported: this module imports none of them. Idempotent.
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
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    ...exportedSignalsOptions(),
    ...(exporting
      ? {
          traceExporter: new OTLPTraceExporter({
            url: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
          }),
        }
      : {
          spanProcessors: [discardSpans],
          // Spans nobody exports need not be recorded: a non-recording span still carries its
          // trace id (a new one, or the caller's) to the logs and to outgoing calls, without the
          // attributes, events and end-of-span work of every request. A caller's decision to
          // sample passes on unchanged (parent-based); a trace begun here is marked not sampled.
          sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
        }),
    instrumentations: options.instrumentations === false ? [] : instrumentationsFor(exporting),
  });
  sdk.start();
  markFetchInstrumented(options.instrumentations !== false);
  if (options.instrumentations !== false) warnIfLoadedTooEarly();
  started = {
    sdk,
    shutdown: async () => {
      started = undefined;
      markFetchInstrumented(false);
      await sdk.shutdown();
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
  return [
    ...carriers,
    new ExpressInstrumentation(),
    new PgInstrumentation(),
    new IORedisInstrumentation(),
  ];
}

const INSTRUMENTED_PACKAGES = ['express', 'pg', 'ioredis'];

/** Patching happens on load: a package loaded before initTracing stays uninstrumented, silently. Say so. */
function warnIfLoadedTooEarly(): void {
  const loaded = Object.keys(createRequire(import.meta.url).cache);
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
