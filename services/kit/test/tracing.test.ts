import { metrics } from '@opentelemetry/api';
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
