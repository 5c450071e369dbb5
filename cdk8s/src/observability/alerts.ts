/**
 * Prometheus rules for the platform: recording rules for the traveller journey's service-level
 * objectives, multi-window multi-burn-rate alerts on them (the SRE workbook's "alerting on SLOs",
 * table 5-8), and the alerts a person must hear about: a service down, the payment circuit open,
 * bookings needing a person, queues backing up, a schedule drifting, pods restarting.
 * Pure data: the PrometheusRule (cdk8s), the chart's copy and `promtool test rules` all read it.
 */

export interface AlertThresholds {
  /** Share of 5xx responses over 5 minutes. */
  readonly errorRatio: number;
  /** p99 latency, seconds, over 5 minutes. */
  readonly p99Seconds: number;
  /** Container restarts within 15 minutes. */
  readonly restarts: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { errorRatio: 0.05, p99Seconds: 1, restarts: 3 };

/** What the rules are made from: the thresholds, or the placeholders the chart replaces with values. */
export type RuleParameters = { readonly [K in keyof AlertThresholds]: number | string };

/**
 * The chart's copy of the rules (charts/tourkit/files/prometheus-rules.json) carries these in place
 * of the namespace and the thresholds; templates/prometheusrule.yaml replaces them with the release's
 * namespace and its `alerts.*` values.
 */
export const CHART_PLACEHOLDERS = {
  namespace: '__NAMESPACE__',
  thresholds: {
    errorRatio: '__ALERTS_ERROR_RATIO__',
    p99Seconds: '__ALERTS_P99_SECONDS__',
    restarts: '__ALERTS_RESTARTS__',
  },
} as const satisfies { namespace: string; thresholds: RuleParameters };

/**
 * The journey's objectives, over what travellers send through the gateway (`/v1/...`): 99.5 % of
 * requests answer without a 5xx, and 99 % of them within 500 ms (a bucket boundary of the kit's
 * http_request_duration_seconds histogram, so the ratio is exact).
 */
export const JOURNEY_SLO = {
  availability: 0.995,
  latency: { objective: 0.99, thresholdSeconds: 0.5 },
} as const;

/**
 * Burn rates and windows of the SRE workbook (30-day budget): 2 % of the budget in 1 h or 5 % in 6 h
 * pages; 10 % in 3 days opens a ticket. The short window makes the alert stop soon after the burn does.
 */
export const BURN_RATE_ALERTS = [
  { severity: 'critical', long: '1h', short: '5m', burnRate: 14.4 },
  { severity: 'critical', long: '6h', short: '30m', burnRate: 6 },
  { severity: 'warning', long: '1d', short: '2h', burnRate: 3 },
  { severity: 'warning', long: '3d', short: '6h', burnRate: 1 },
] as const;

export type Severity = 'warning' | 'critical';

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity; service?: string };
  annotations: { summary: string; description: string };
}

export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertRule>;
}

const WINDOWS = [...new Set(BURN_RATE_ALERTS.flatMap((a) => [a.short, a.long]))];

/** The name of the recorded bad-request ratio of one objective over one window. */
export const journeyRatio = (kind: 'errors' | 'slow', window: string) =>
  `tourkit:journey_${kind}:ratio_rate${window}`;

export function recordingRules(namespace: string): RecordingRule[] {
  const journey = `namespace="${namespace}", service="gateway", route=~"/v1/.*"`;
  const le = JOURNEY_SLO.latency.thresholdSeconds;
  return WINDOWS.flatMap((w) => [
    {
      record: journeyRatio('errors', w),
      expr: `sum(rate(http_requests_total{${journey}, status=~"5.."}[${w}])) / sum(rate(http_requests_total{${journey}}[${w}]))`,
    },
    {
      record: journeyRatio('slow', w),
      expr: `1 - sum(rate(http_request_duration_seconds_bucket{${journey}, le="${le}"}[${w}])) / sum(rate(http_request_duration_seconds_count{${journey}}[${w}]))`,
    },
  ]);
}

function burnRateAlerts(): AlertRule[] {
  const objectives = [
    {
      kind: 'errors' as const,
      name: 'TourkitJourneyErrorBudgetBurn',
      budget: 1 - JOURNEY_SLO.availability,
      what: `more than ${(100 * (1 - JOURNEY_SLO.availability)).toFixed(1)} % of traveller requests fail`,
    },
    {
      kind: 'slow' as const,
      name: 'TourkitJourneyLatencyBudgetBurn',
      budget: 1 - JOURNEY_SLO.latency.objective,
      what: `more than ${(100 * (1 - JOURNEY_SLO.latency.objective)).toFixed(0)} % of traveller requests take over ${JOURNEY_SLO.latency.thresholdSeconds * 1000} ms`,
    },
  ];
  return objectives.flatMap((o) =>
    (['critical', 'warning'] as const).map((severity) => {
      const pairs = BURN_RATE_ALERTS.filter((a) => a.severity === severity);
      const expr = pairs
        .map((a) => {
          const limit = round(a.burnRate * o.budget);
          return `(${journeyRatio(o.kind, a.long)} > ${limit} and ${journeyRatio(o.kind, a.short)} > ${limit})`;
        })
        .join(' or ');
      const windows = pairs.map((a) => `${a.long}/${a.short} at ${a.burnRate}×`).join(', ');
      return {
        alert: o.name,
        expr,
        for: '0m',
        labels: { severity },
        annotations: {
          summary: `The traveller journey burns its error budget: ${o.what}`,
          description: `${severity === 'critical' ? 'Page' : 'Ticket'}: burn rate over ${windows} of the 30-day budget.`,
        },
      };
    }),
  );
}

/** Alert rules; `services` are the platform's services, each of which must have a target up. */
export function alertRules(
  namespace: string,
  services: readonly string[],
  t: RuleParameters = DEFAULT_THRESHOLDS,
): AlertRule[] {
  const ns = `namespace="${namespace}"`;
  return [
    ...burnRateAlerts(),
    // Every target down, or none left to scrape (all pods gone): absent() of a plain selector takes
    // its labels from the matchers, so both halves name the namespace and the service.
    ...services.map((service): AlertRule => {
      const up = `up{${ns}, service="${service}"}`;
      return {
        alert: 'TourkitServiceDown',
        expr: `sum by (namespace, service) (${up}) == 0 or absent(${up})`,
        for: '1m',
        labels: { severity: 'critical', service },
        annotations: {
          summary: `${service} is down`,
          description: `No ${service} instance has answered a scrape for a minute.`,
        },
      };
    }),
    {
      alert: 'TourkitCircuitOpen',
      expr: `max by (service, circuit) (circuit_state{${ns}}) == 2`,
      for: '1m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.service }}: circuit {{ $labels.circuit }} is open',
        description:
          '{{ $labels.service }} stopped calling {{ $labels.circuit }}; bookings are taken as RESERVED_PENDING_PAYMENT and paid later.',
      },
    },
    {
      alert: 'TourkitPaymentsFailed',
      expr: `sum by (service) (increase(bookings_total{${ns}, status="PAYMENT_FAILED"}[15m])) > 0`,
      for: '0m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Bookings ended PAYMENT_FAILED: a person must decide',
        description:
          '{{ $value | humanize }} bookings failed payment in 15 minutes; support decides on each.',
      },
    },
    // Unknown outcomes are states with bounds (services/booking README, "The booking saga"; payment's
    // README, "States"): a booking or a charge that stays unsettled well past the reconciler's first
    // tries means the other side cannot be asked, and money or seats wait on a person.
    {
      alert: 'TourkitBookingUnsettled',
      expr: `max by (service, status) (booking_state_oldest_seconds{${ns}, status=~"RESERVING_SEATS|PAYMENT_UNKNOWN"}) > 900`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A booking has been {{ $labels.status }} for {{ $value | humanizeDuration }}',
        description:
          'The saga reconciler cannot settle it (catalog or payment unreachable?); it ends at its bound, and staff can act on it at /v1/admin/bookings.',
      },
    },
    {
      alert: 'TourkitPaymentUnsettled',
      expr: `max by (service, operation) (payment_pending_oldest_age_seconds{${ns}}) > 900`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'A {{ $labels.operation }} has been PENDING at the provider for {{ $value | humanizeDuration }}',
        description:
          'The payment reconciler cannot learn what the provider did with it: money may be taken or owed.',
      },
    },
    {
      alert: 'TourkitPaymentQueueBacklog',
      expr: `max by (service) (payment_queue_depth{${ns}}) > 50`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Payment jobs pile up',
        description: '{{ $value }} payment jobs have been waiting for 10 minutes.',
      },
    },
    {
      alert: 'TourkitNotificationQueueBacklog',
      expr: `sum by (service) (notification_queue_depth{${ns}}) > 100`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'E-mails pile up',
        description: '{{ $value }} notification jobs have been queued for 10 minutes.',
      },
    },
    {
      alert: 'TourkitScheduleDrifted',
      expr: 'sum by (name) (increase(tourkit_scaling_schedule_drift_corrections_total[30m])) > 0',
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Someone edited the bounds of the HPA that {{ $labels.name }} manages',
        description:
          'The ScalingSchedule controller corrected {{ $value | humanize }} foreign edits in 30 minutes: a deploy tool or a person fights it (see the Argo CD / Flux settings in operator/README.md).',
      },
    },
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

/** Every group of the platform's PrometheusRule, in the order Prometheus evaluates them. */
export function ruleGroups(
  namespace: string,
  services: readonly string[],
  t: RuleParameters = DEFAULT_THRESHOLDS,
): RuleGroup[] {
  return [
    { name: 'tourkit.slo', rules: recordingRules(namespace) },
    { name: 'tourkit.rules', rules: alertRules(namespace, services, t) },
  ];
}

/** Burn-rate thresholds as Prometheus prints them (no binary-float tails such as 0.07200000000000001). */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
