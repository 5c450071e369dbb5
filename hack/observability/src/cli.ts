#!/usr/bin/env node
/**
 * `make dev`'s Prometheus and Alertmanager: scrapes each service given as --target name=host:port,
 * evaluates the platform's rules, and e-mails alerts through --smtp (the mail catcher) to --to.
 * Runs until SIGINT/SIGTERM, then stops both.
 */
import { parseArgs } from 'node:util';
import { startStack } from './stack.js';

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
console.log(`prometheus   ${stack.prometheusUrl}  (alerts: ${stack.prometheusUrl}/alerts)`);
console.log(`alertmanager ${stack.alertmanagerUrl}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void stack.stop().then(() => process.exit(0));
  });
