/** Prometheus alert rules for the platform; thresholds are the chart's `alerts.*` values. */

export interface AlertThresholds {
  /** Share of 5xx responses over 5 minutes. */
  readonly errorRatio: number;
  /** p99 latency, seconds, over 5 minutes. */
  readonly p99Seconds: number;
  /** Container restarts within 15 minutes. */
  readonly restarts: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { errorRatio: 0.05, p99Seconds: 1, restarts: 3 };

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'warning' | 'critical' };
  annotations: { summary: string; description: string };
}

export function alertRules(
  namespace: string,
  t: AlertThresholds = DEFAULT_THRESHOLDS,
): AlertRule[] {
  const ns = `namespace="${namespace}"`;
  return [
    {
      alert: 'TourkitHighErrorRate',
      expr: `sum by (service) (rate(http_requests_total{${ns}, status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{${ns}}[5m])) > ${t.errorRatio}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: '{{ $labels.service }} answers too many 5xx',
        description:
          '{{ $labels.service }}: {{ $value | humanizePercentage }} of requests fail with 5xx over 5 minutes.',
      },
    },
    {
      alert: 'TourkitHighLatencyP99',
      expr: `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{${ns}}[5m]))) > ${t.p99Seconds}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `{{ $labels.service }} p99 latency above ${t.p99Seconds} s`,
        description:
          '{{ $labels.service }}: p99 is {{ $value | humanizeDuration }} over 5 minutes.',
      },
    },
    {
      alert: 'TourkitHpaAtMaximum',
      expr: `kube_horizontalpodautoscaler_status_current_replicas{${ns}} >= kube_horizontalpodautoscaler_spec_max_replicas{${ns}}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.horizontalpodautoscaler }} runs at its maximum replicas',
        description:
          'The autoscaler {{ $labels.horizontalpodautoscaler }} has been at maxReplicas for 15 minutes: raise the maximum or the ScalingSchedule window.',
      },
    },
    {
      alert: 'TourkitPodRestarting',
      expr: `increase(kube_pod_container_status_restarts_total{${ns}}[15m]) > ${t.restarts}`,
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.pod }} restarts repeatedly',
        description: `{{ $labels.pod }} ({{ $labels.container }}) restarted more than ${t.restarts} times in 15 minutes.`,
      },
    },
  ];
}
