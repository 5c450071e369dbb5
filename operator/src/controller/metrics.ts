import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type ControllerMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const labelNames = ['namespace', 'name'] as const;
  return {
    registry,
    minReplicas: new Gauge({
      name: 'tourkit_scaling_schedule_min_replicas',
      help: 'minReplicas applied to the target HPA',
      labelNames,
      registers: [registry],
    }),
    maxReplicas: new Gauge({
      name: 'tourkit_scaling_schedule_max_replicas',
      help: 'maxReplicas applied to the target HPA',
      labelNames,
      registers: [registry],
    }),
    nextTransition: new Gauge({
      name: 'tourkit_scaling_schedule_next_transition_timestamp_seconds',
      help: 'Unix time of the next change of bounds',
      labelNames,
      registers: [registry],
    }),
    transitionLag: new Histogram({
      name: 'tourkit_scaling_schedule_transition_lag_seconds',
      help: 'Delay between a schedule boundary and the reconcile that applied it',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    reconciles: new Counter({
      name: 'tourkit_scaling_schedule_reconcile_total',
      help: 'Reconciles by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    driftCorrections: new Counter({
      name: 'tourkit_scaling_schedule_drift_corrections_total',
      help: 'Foreign edits of HPA bounds corrected',
      labelNames,
      registers: [registry],
    }),
    apiRequests: new Counter({
      name: 'tourkit_scaling_schedule_api_requests_total',
      help: 'Kubernetes API requests by HTTP method',
      labelNames: ['method'],
      registers: [registry],
    }),
    writesRefused: new Counter({
      name: 'tourkit_scaling_schedule_writes_refused_total',
      help: 'Writes refused by the leader-election fence (lease not renewed within the renew deadline)',
      registers: [registry],
    }),
    eventsDropped: new Counter({
      name: 'tourkit_scaling_schedule_events_dropped_total',
      help: 'Events dropped because the event queue was full',
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'tourkit_scaling_schedule_leader',
      help: '1 while this instance holds the leader lease',
      registers: [registry],
    }),
  };
}
