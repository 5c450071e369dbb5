// The controller process: env (WATCH_NAMESPACE, LEADER_ELECT, ...) → controller + /metrics, /livez, /readyz on METRICS_PORT.
import { KubeConfig } from '@kubernetes/client-node';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { offsetClock } from './controller/clock.js';
import { ScalingScheduleController } from './controller/controller.js';
import { DEFAULT_LEASE_TIMINGS, validateLeaseTimings } from './controller/leader-election.js';
import { createMetrics } from './controller/metrics.js';
import { parseWatchNamespaces } from './controller/watch-scope.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`${name}: expected a number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

function envWatchNamespaces(): string[] {
  try {
    return parseWatchNamespaces(process.env.WATCH_NAMESPACE);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const port = envNumber('METRICS_PORT', 8080);
const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const metrics = createMetrics({ defaultMetrics: true });
const leaderElect = (process.env.LEADER_ELECT ?? 'true') !== 'false';
// client-go's three leader-election durations (controller-runtime's defaults: 15 s, 10 s, 2 s).
const leaseTimings = {
  leaseDurationMs:
    envNumber('LEASE_DURATION_SECONDS', DEFAULT_LEASE_TIMINGS.leaseDurationMs / 1000) * 1000,
  renewDeadlineMs:
    envNumber('RENEW_DEADLINE_SECONDS', DEFAULT_LEASE_TIMINGS.renewDeadlineMs / 1000) * 1000,
  retryPeriodMs:
    envNumber('RETRY_PERIOD_SECONDS', DEFAULT_LEASE_TIMINGS.retryPeriodMs / 1000) * 1000,
};
const timingErrors = validateLeaseTimings(leaseTimings, {
  leaseDurationMs: 'LEASE_DURATION_SECONDS',
  renewDeadlineMs: 'RENEW_DEADLINE_SECONDS',
  retryPeriodMs: 'RETRY_PERIOD_SECONDS',
});
if (leaderElect && timingErrors.length > 0) {
  console.error(timingErrors.join('\n'));
  process.exit(2);
}
const concurrency = envNumber('RECONCILE_CONCURRENCY', 16);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(
    `RECONCILE_CONCURRENCY: expected a whole number of at least 1, got "${concurrency}"`,
  );
  process.exit(2);
}
const controller = new ScalingScheduleController({
  kubeConfig,
  concurrency,
  log,
  metrics,
  watchNamespaces: envWatchNamespaces(),
  identity: process.env.POD_NAME ?? `${hostname()}-${process.pid}`,
  clock: offsetClock(envNumber('TOURKIT_CLOCK_OFFSET_SECONDS', 0) * 1000),
  leaderElection: leaderElect
    ? {
        namespace: process.env.POD_NAMESPACE ?? 'tourkit-system',
        name: process.env.LEASE_NAME ?? 'tourkit-scaling-schedule-controller',
        ...leaseTimings,
      }
    : false,
});

const server = createServer((req, res) => {
  if (req.url === '/metrics') {
    void metrics.registry.metrics().then((body) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    });
    return;
  }
  if (req.url === '/livez' || req.url === '/healthz') {
    res.writeHead(200).end('ok');
    return;
  }
  if (req.url === '/readyz') {
    res.writeHead(controller.ready ? 200 : 503).end(controller.ready ? 'ok' : 'caches not synced');
    return;
  }
  res.writeHead(404).end();
});
server.listen(port, () => log.info({ port }, 'metrics and probes listening'));

const shutdown = async (signal: string) => {
  log.info({ signal }, 'shutting down');
  await controller.stop();
  server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

void controller.start();
