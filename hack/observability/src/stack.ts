/**
 * Runs a Prometheus and an Alertmanager, and a Jaeger (the pinned builds of hack/tools/build.sh) beside
 * the platform's processes, on loopback ports, with data in a directory of their own; stop() ends
 * what it started by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ruleGroups } from '@tourkit/cdk8s/observability/alerts';
import { toolPath, waitFor } from '@tourkit/testenv';
import { stringify } from 'yaml';
import { alertmanagerConfig, jaegerConfig, prometheusConfig, type ScrapeTarget } from './config.js';

export interface StackOptions {
  readonly dir: string;
  readonly namespace: string;
  readonly targets: readonly ScrapeTarget[];
  /** Every service that must have a target up (TourkitServiceDown per service). */
  readonly services: readonly string[];
  readonly smtp: string;
  readonly supportEmail: string;
  readonly prometheusPort: number;
  readonly alertmanagerPort: number;
  /** Scrape and evaluation interval; Alertmanager's group interval follows it. */
  readonly interval: string;
}

export interface Stack {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  stop(): Promise<void>;
}

/** The process and, once it fails to start (a missing binary), why: waitReady reports it. */
interface Started {
  child: ChildProcess;
  failure?: Error;
}

function start(
  name: 'prometheus' | 'alertmanager' | 'jaeger',
  args: string[],
  dir: string,
): Started {
  const log = openSync(path.join(dir, `${name}.log`), 'a');
  const started: Started = {
    child: spawn(toolPath(name), args, { stdio: ['ignore', log, log] }),
  };
  started.child.once('error', (error) => (started.failure = error));
  return started;
}

const waitReady = (url: string, what: string, started: Started) =>
  waitFor(
    `${what} ready at ${url}`,
    async () => {
      if (started.failure) throw new Error(`${what} did not start: ${started.failure.message}`);
      return (await fetch(url)).ok ? true : undefined;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 250,
    },
  );

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startStack(o: StackOptions): Promise<Stack> {
  mkdirSync(path.join(o.dir, 'prometheus-data'), { recursive: true });
  mkdirSync(path.join(o.dir, 'alertmanager-data'), { recursive: true });
  const ruleFile = path.join(o.dir, 'rules.yml');
  writeFileSync(ruleFile, stringify({ groups: ruleGroups(o.namespace, o.services) }));
  const alertmanagerAddress = `127.0.0.1:${o.alertmanagerPort}`;
  writeFileSync(
    path.join(o.dir, 'prometheus.yml'),
    prometheusConfig({
      namespace: o.namespace,
      targets: o.targets,
      ruleFile,
      alertmanager: alertmanagerAddress,
      interval: o.interval,
    }),
  );
  writeFileSync(
    path.join(o.dir, 'alertmanager.yml'),
    alertmanagerConfig({
      smarthost: o.smtp,
      from: 'alerts@tourkit.local',
      to: o.supportEmail,
      groupWait: o.interval,
      groupInterval: o.interval,
    }),
  );
  const alertmanager = start(
    'alertmanager',
    [
      `--config.file=${path.join(o.dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(o.dir, 'alertmanager-data')}`,
      `--web.listen-address=${alertmanagerAddress}`,
      // One instance: no gossip port to open.
      '--cluster.listen-address=',
    ],
    o.dir,
  );
  const prometheus = start(
    'prometheus',
    [
      `--config.file=${path.join(o.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(o.dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${o.prometheusPort}`,
      '--web.enable-lifecycle',
    ],
    o.dir,
  );
  const stack: Stack = {
    prometheusUrl: `http://127.0.0.1:${o.prometheusPort}`,
    alertmanagerUrl: `http://${alertmanagerAddress}`,
    stop: async () => {
      await Promise.all([stopChild(prometheus.child), stopChild(alertmanager.child)]);
    },
  };
  try {
    await waitReady(`${stack.alertmanagerUrl}/-/ready`, 'Alertmanager', alertmanager);
    await waitReady(`${stack.prometheusUrl}/-/ready`, 'Prometheus', prometheus);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

export interface JaegerOptions {
  readonly dir: string;
  /** The UI and HTTP API's port (Jaeger's own default: 16686). */
  readonly queryPort: number;
  readonly queryGrpcPort: number;
  /** The OTLP/HTTP port (the OpenTelemetry default: 4318). */
  readonly otlpHttpPort: number;
}

export interface Jaeger {
  /** The UI, and the API under /api. */
  readonly url: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT for the services (the kit adds /v1/traces). */
  readonly otlpEndpoint: string;
  stop(): Promise<void>;
}

/** Starts Jaeger (in-memory traces) and waits until its query API answers. */
export async function startJaeger(o: JaegerOptions): Promise<Jaeger> {
  mkdirSync(o.dir, { recursive: true });
  const configFile = path.join(o.dir, 'jaeger.yml');
  writeFileSync(
    configFile,
    jaegerConfig({
      query: `127.0.0.1:${o.queryPort}`,
      queryGrpc: `127.0.0.1:${o.queryGrpcPort}`,
      otlpHttp: `127.0.0.1:${o.otlpHttpPort}`,
      maxTraces: 100_000,
    }),
  );
  const jaeger = start('jaeger', [`--config=${configFile}`], o.dir);
  const started: Jaeger = {
    url: `http://127.0.0.1:${o.queryPort}`,
    otlpEndpoint: `http://127.0.0.1:${o.otlpHttpPort}`,
    stop: () => stopChild(jaeger.child),
  };
  try {
    await waitReady(`${started.url}/api/services`, 'Jaeger', jaeger);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}
