import { context, metrics, trace, TraceFlags } from '@opentelemetry/api';
import { exportedSignalsOptions, initTracing, instrumentationsFor } from '../src/tracing.js';

describe('exported signals', () => {
  it('exports no metrics and no logs unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER ask for them', () => {
    expect(exportedSignalsOptions({})).toEqual({ metricReaders: [], logRecordProcessors: [] });
    expect(exportedSignalsOptions({ OTEL_METRICS_EXPORTER: 'otlp' })).toEqual({
      logRecordProcessors: [],
    });
    expect(exportedSignalsOptions({ OTEL_LOGS_EXPORTER: 'console' })).toEqual({
      metricReaders: [],
    });
    expect(exportedSignalsOptions({ OTEL_METRICS_EXPORTER: '', OTEL_LOGS_EXPORTER: '' })).toEqual({
      metricReaders: [],
      logRecordProcessors: [],
    });
  });
});

describe('tracing shutdown', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.OTEL_METRICS_EXPORTER;
    delete process.env.OTEL_LOGS_EXPORTER;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('resolves promptly after metrics were recorded, with no collector to flush to', async () => {
    const tracing = initTracing('tracing-test', { instrumentations: false });
    // With the SDK's default OTLP metric exporter this would be flushed to a collector that is not there.
    metrics.getMeter('tracing-test').createCounter('things_total').add(1);
    const guard = new Promise<'timed out'>((resolve) => {
      const timer = setTimeout(() => resolve('timed out'), 5_000);
      timer.unref();
    });
    expect(await Promise.race([tracing.shutdown().then(() => 'shut down'), guard])).toBe(
      'shut down',
    );
  }, 10_000);
});

describe('instrumentations', () => {
  const names = (exporting: boolean) =>
    instrumentationsFor(exporting).map((instrumentation) => instrumentation.instrumentationName);

  it('keeps only the id carriers (incoming HTTP, fetch) when no span is exported', () => {
    expect(names(false)).toEqual([
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-undici',
    ]);
  });

  it('adds express, pg and ioredis spans when an exporter is configured', () => {
    expect(names(true)).toEqual(
      expect.arrayContaining([
        '@opentelemetry/instrumentation-http',
        '@opentelemetry/instrumentation-undici',
        '@opentelemetry/instrumentation-express',
        '@opentelemetry/instrumentation-pg',
        '@opentelemetry/instrumentation-ioredis',
      ]),
    );
  });
});

describe('sampling without an exporter', () => {
  it('records no span, yet gives each trace an id and keeps a caller’s sampled flag', async () => {
    const tracing = initTracing('sampling-test', {
      otlpEndpoint: undefined,
      instrumentations: false,
    });
    try {
      const tracer = trace.getTracer('test');
      const root = tracer.startSpan('root');
      expect(root.isRecording()).toBe(false);
      expect(root.spanContext().traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
      expect(root.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
      const sampledCaller = trace.setSpanContext(context.active(), {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      const child = tracer.startSpan('child', {}, sampledCaller);
      expect(child.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(child.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
      root.end();
      child.end();
    } finally {
      await tracing.shutdown();
    }
  });
});
