#!/usr/bin/env node
/**
 * `make dev`'s Prometheus, Alertmanager and Jaeger: scrapes each service given as --target
 * name=host:port, evaluates the platform's rules, e-mails alerts through --smtp (the mail catcher)
 * to --to, and keeps the traces the services send to --otlp-port. Runs until SIGINT/SIGTERM, then
 * stops all three.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { startJaeger, startStack } from './stack.js';

function fail(message: string): never {
  console.error(`tourkit-observability: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    target: { type: 'string', multiple: true },
    smtp: { type: 'string', default: '127.0.0.1:1025' },
    to: { type: 'string', default: 'support@tourkit.local' },
    namespace: { type: 'string', default: 'tourkit' },
    'prometheus-port': { type: 'string', default: '9090' },
    'alertmanager-port': { type: 'string', default: '9093' },
    'jaeger-port': { type: 'string', default: '16686' },
    'jaeger-grpc-port': { type: 'string', default: '16685' },
    'otlp-port': { type: 'string', default: '4318' },
    interval: { type: 'string', default: '5s' },
  },
  strict: true,
});

const port = (option: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`--${option}: "${raw}" is not a port`);
  return n;
};
if (!values.dir) fail('--dir is required: where the configuration and data go');
if (!values.target?.length) fail('--target name=host:port is required, once per service');
const targets = values.target.map((t) => {
  const match = /^([a-z][a-z0-9-]*)=([^:\s]+:\d+)$/.exec(t);
  if (!match) fail(`--target: "${t}" is not name=host:port`);
  return { service: match[1]!, address: match[2]! };
});
if (!/^\d+(ms|s|m)$/.test(values.interval))
  fail(`--interval: "${values.interval}" is not a duration such as 5s`);

const stack = await startStack({
  dir: values.dir,
  namespace: values.namespace,
  targets,
  services: targets.map((t) => t.service),
  smtp: values.smtp,
  supportEmail: values.to,
  prometheusPort: port('prometheus-port', values['prometheus-port']),
  alertmanagerPort: port('alertmanager-port', values['alertmanager-port']),
  interval: values.interval,
});
const jaeger = await startJaeger({
  dir: path.join(values.dir, 'jaeger'),
  queryPort: port('jaeger-port', values['jaeger-port']),
  queryGrpcPort: port('jaeger-grpc-port', values['jaeger-grpc-port']),
  otlpHttpPort: port('otlp-port', values['otlp-port']),
}).catch(async (error: unknown) => {
  await stack.stop();
  throw error;
});
console.log(`prometheus   ${stack.prometheusUrl}  (alerts: ${stack.prometheusUrl}/alerts)`);
console.log(`alertmanager ${stack.alertmanagerUrl}`);
console.log(`jaeger       ${jaeger.url}  (traces in over OTLP/HTTP at ${jaeger.otlpEndpoint})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.all([stack.stop(), jaeger.stop()]).then(() => process.exit(0));
  });
