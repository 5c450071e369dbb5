import { parse } from 'yaml';
import { alertmanagerConfig, jaegerConfig, prometheusConfig } from '../src/config.js';

describe('local observability configuration', () => {
  it('scrapes each service with the labels its ServiceMonitor gives it, and sends to Alertmanager', () => {
    const config = parse(
      prometheusConfig({
        namespace: 'tourkit',
        targets: [
          { service: 'catalog', address: '127.0.0.1:8081' },
          { service: 'payment', address: '127.0.0.1:8085' },
        ],
        ruleFile: '/tmp/rules.yml',
        alertmanager: '127.0.0.1:9093',
        interval: '2s',
      }),
    );
    expect(config.global).toEqual({ scrape_interval: '2s', evaluation_interval: '2s' });
    expect(config.rule_files).toEqual(['/tmp/rules.yml']);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9093']);
    expect(config.scrape_configs[1]).toEqual({
      job_name: 'payment',
      metrics_path: '/metrics',
      honor_labels: true,
      static_configs: [
        { targets: ['127.0.0.1:8085'], labels: { namespace: 'tourkit', service: 'payment' } },
      ],
    });
  });

  it('routes every alert by e-mail to support, resolved notices included', () => {
    const config = parse(
      alertmanagerConfig({
        smarthost: '127.0.0.1:1025',
        from: 'alerts@tourkit.local',
        to: 'support@tourkit.local',
        groupWait: '2s',
        groupInterval: '2s',
      }),
    );
    expect(config.global).toEqual({
      smtp_smarthost: '127.0.0.1:1025',
      smtp_from: 'alerts@tourkit.local',
      smtp_require_tls: false,
    });
    expect(config.route.receiver).toBe('support');
    expect(config.receivers).toEqual([
      { name: 'support', email_configs: [{ to: 'support@tourkit.local', send_resolved: true }] },
    ]);
  });
});

describe('Jaeger configuration', () => {
  const config = parse(
    jaegerConfig({
      query: '127.0.0.1:16686',
      queryGrpc: '127.0.0.1:16685',
      otlpHttp: '127.0.0.1:4318',
      maxTraces: 1000,
    }),
  );

  it('takes OTLP/HTTP on the given address into memory storage that the query service reads', () => {
    expect(config.receivers).toEqual({
      otlp: { protocols: { http: { endpoint: '127.0.0.1:4318' } } },
    });
    expect(config.service.pipelines.traces.receivers).toEqual(['otlp']);
    const store = config.exporters.jaeger_storage_exporter.trace_storage;
    expect(config.extensions.jaeger_query.storage.traces).toBe(store);
    expect(config.extensions.jaeger_storage.backends[store]).toEqual({
      memory: { max_traces: 1000 },
    });
  });

  it('listens only where it is told (no default ports of its own left open)', () => {
    expect(config.extensions.jaeger_query.http).toEqual({ endpoint: '127.0.0.1:16686' });
    expect(config.extensions.jaeger_query.grpc).toEqual({ endpoint: '127.0.0.1:16685' });
    expect(config.service.telemetry.metrics).toEqual({ level: 'none' });
    expect(config.service.extensions).toEqual(['jaeger_storage', 'jaeger_query']);
  });
});
