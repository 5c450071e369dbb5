/**
 * `promtool test rules` (Prometheus's own rule evaluator, built from its Go module) runs every alert
 * of src/observability/alerts.ts against series that should fire it and series that should not.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { toolPath } from '@tourkit/testenv';
import { ruleGroups } from '../src/observability/alerts.js';
import { SERVICE_NAMES } from '../src/services.js';

jest.setTimeout(60_000);

const promtool = toolPath('promtool');
const NS = 'tourkit';

interface Series {
  series: string;
  values: string;
}
interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts: Array<{
    exp_labels: Record<string, string>;
    exp_annotations?: Record<string, string>;
  }>;
}

/** Runs promtool over the platform's rules with one test group; returns its output on failure. */
async function promtoolTest(input: Series[], cases: AlertCase[]): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tourkit-rules-'));
  try {
    writeFileSync(
      path.join(dir, 'rules.json'),
      JSON.stringify({ groups: ruleGroups(NS, SERVICE_NAMES) }),
    );
    writeFileSync(
      path.join(dir, 'test.json'),
      JSON.stringify({
        rule_files: ['rules.json'],
        evaluation_interval: '1m',
        tests: [{ interval: '1m', input_series: input, alert_rule_test: cases }],
      }),
    );
    try {
      await promisify(execFile)(promtool, ['test', 'rules', 'test.json'], { cwd: dir });
      return 'SUCCESS';
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      return `${stdout ?? ''}${stderr ?? ''}`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const allUp = (except: string): Series[] =>
  SERVICE_NAMES.filter((s) => s !== except).map((s) => ({
    series: `up{namespace="${NS}", service="${s}"}`,
    values: '1x30',
  }));

/** Gateway traffic: `ok` and `failed` requests a minute on a /v1 route, for `minutes`. */
function journeyTraffic(ok: number, failed: number, minutes: number): Series[] {
  const labels = `namespace="${NS}", service="gateway", route="/v1/tours", method="GET"`;
  return [
    { series: `http_requests_total{${labels}, status="200"}`, values: `0+${ok}x${minutes}` },
    { series: `http_requests_total{${labels}, status="503"}`, values: `0+${failed}x${minutes}` },
  ];
}

/** Gateway latency: of `total` requests a minute, `fast` within 500 ms. */
function journeyLatency(total: number, fast: number, minutes: number): Series[] {
  const labels = `namespace="${NS}", service="gateway", route="/v1/tours", method="GET", status="200"`;
  return [
    {
      series: `http_request_duration_seconds_bucket{${labels}, le="0.5"}`,
      values: `0+${fast}x${minutes}`,
    },
    { series: `http_request_duration_seconds_count{${labels}}`, values: `0+${total}x${minutes}` },
  ];
}

describe('alert rules under promtool', () => {
  it('TourkitServiceDown: fires for the service whose every target is down, and only for it', async () => {
    const result = await promtoolTest(
      [
        ...allUp('payment'),
        { series: `up{namespace="${NS}", service="payment"}`, values: '1x5 0x20' },
      ],
      [
        { eval_time: '5m', alertname: 'TourkitServiceDown', exp_alerts: [] },
        {
          eval_time: '8m',
          alertname: 'TourkitServiceDown',
          exp_alerts: [
            {
              exp_labels: { severity: 'critical', namespace: NS, service: 'payment' },
              exp_annotations: {
                summary: 'payment is down',
                description: 'No payment instance has answered a scrape for a minute.',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('TourkitServiceDown: fires when no target is left at all (every pod gone)', async () => {
    const result = await promtoolTest(allUp('review'), [
      {
        eval_time: '3m',
        alertname: 'TourkitServiceDown',
        exp_alerts: [
          {
            exp_labels: { severity: 'critical', namespace: NS, service: 'review' },
            exp_annotations: {
              summary: 'review is down',
              description: 'No review instance has answered a scrape for a minute.',
            },
          },
        ],
      },
    ]);
    expect(result).toBe('SUCCESS');
  });

  it('TourkitJourneyErrorBudgetBurn pages on a fast burn, and stays silent within the objective', async () => {
    const burning = await promtoolTest(journeyTraffic(100, 10, 90), [
      {
        eval_time: '80m',
        alertname: 'TourkitJourneyErrorBudgetBurn',
        exp_alerts: [
          {
            exp_labels: { severity: 'critical' },
            exp_annotations: {
              summary:
                'The traveller journey burns its error budget: more than 0.5 % of traveller requests fail',
              description:
                'Page: burn rate over 1h/5m at 14.4×, 6h/30m at 6× of the 30-day budget.',
            },
          },
          {
            exp_labels: { severity: 'warning' },
            exp_annotations: {
              summary:
                'The traveller journey burns its error budget: more than 0.5 % of traveller requests fail',
              description: 'Ticket: burn rate over 1d/2h at 3×, 3d/6h at 1× of the 30-day budget.',
            },
          },
        ],
      },
    ]);
    expect(burning).toBe('SUCCESS');
    // 0.2 % of requests fail: within the 0.5 % budget, no alert.
    const healthy = await promtoolTest(journeyTraffic(1000, 2, 90), [
      { eval_time: '80m', alertname: 'TourkitJourneyErrorBudgetBurn', exp_alerts: [] },
    ]);
    expect(healthy).toBe('SUCCESS');
  });

  it('TourkitJourneyErrorBudgetBurn stops paging soon after the burn stops (the short window)', async () => {
    const labels = `namespace="${NS}", service="gateway", route="/v1/tours", method="GET"`;
    // 70 minutes at 10 % errors, then none: once the 30 m window holds no error (105 m) the page
    // stops, though the hour still does not; the ticket (2 h and 1 d windows) goes on.
    const result = await promtoolTest(
      [
        { series: `http_requests_total{${labels}, status="200"}`, values: '0+100x110' },
        { series: `http_requests_total{${labels}, status="503"}`, values: '0+10x70 700+0x40' },
      ],
      [
        {
          eval_time: '105m',
          alertname: 'TourkitJourneyErrorBudgetBurn',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning' },
              exp_annotations: {
                summary:
                  'The traveller journey burns its error budget: more than 0.5 % of traveller requests fail',
                description:
                  'Ticket: burn rate over 1d/2h at 3×, 3d/6h at 1× of the 30-day budget.',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('TourkitJourneyLatencyBudgetBurn pages when over 1 % of requests are slow, not at 0.5 %', async () => {
    const summary =
      'The traveller journey burns its error budget: more than 1 % of traveller requests take over 500 ms';
    const slow = await promtoolTest(journeyLatency(100, 80, 90), [
      {
        eval_time: '80m',
        alertname: 'TourkitJourneyLatencyBudgetBurn',
        exp_alerts: [
          {
            exp_labels: { severity: 'critical' },
            exp_annotations: {
              summary,
              description:
                'Page: burn rate over 1h/5m at 14.4×, 6h/30m at 6× of the 30-day budget.',
            },
          },
          {
            exp_labels: { severity: 'warning' },
            exp_annotations: {
              summary,
              description: 'Ticket: burn rate over 1d/2h at 3×, 3d/6h at 1× of the 30-day budget.',
            },
          },
        ],
      },
    ]);
    expect(slow).toBe('SUCCESS');
    const fine = await promtoolTest(journeyLatency(1000, 995, 90), [
      { eval_time: '80m', alertname: 'TourkitJourneyLatencyBudgetBurn', exp_alerts: [] },
    ]);
    expect(fine).toBe('SUCCESS');
  });

  it('TourkitCircuitOpen: fires after a minute open, not while half-open', async () => {
    const series = `circuit_state{namespace="${NS}", service="booking", circuit="payment"}`;
    const result = await promtoolTest(
      [{ series, values: '0x3 1x3 2x10' }],
      [
        { eval_time: '5m', alertname: 'TourkitCircuitOpen', exp_alerts: [] },
        {
          eval_time: '9m',
          alertname: 'TourkitCircuitOpen',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', service: 'booking', circuit: 'payment' },
              exp_annotations: {
                summary: 'booking: circuit payment is open',
                description:
                  'booking stopped calling payment; bookings are taken as RESERVED_PENDING_PAYMENT and paid later.',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('TourkitPaymentsFailed: fires when a booking ends PAYMENT_FAILED, silent for confirmations', async () => {
    const labels = `namespace="${NS}", service="booking"`;
    const result = await promtoolTest(
      [
        { series: `bookings_total{${labels}, status="CONFIRMED"}`, values: '0+5x20' },
        { series: `bookings_total{${labels}, status="PAYMENT_FAILED"}`, values: '0x10 2x10' },
      ],
      [
        { eval_time: '9m', alertname: 'TourkitPaymentsFailed', exp_alerts: [] },
        {
          eval_time: '12m',
          alertname: 'TourkitPaymentsFailed',
          exp_alerts: [
            {
              exp_labels: { severity: 'critical', service: 'booking' },
              exp_annotations: {
                summary: 'Bookings ended PAYMENT_FAILED: a person must decide',
                description: '2 bookings failed payment in 15 minutes; support decides on each.',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('TourkitBookingUnsettled and TourkitPaymentUnsettled: fire for an unknown outcome older than 15 minutes, not for a young one', async () => {
    const booking = `namespace="${NS}", service="booking"`;
    const payment = `namespace="${NS}", service="payment"`;
    const result = await promtoolTest(
      [
        // A PAYMENT_UNKNOWN booking that ages a minute a minute; a RESERVING_SEATS one settled young.
        {
          series: `booking_state_oldest_seconds{${booking}, status="PAYMENT_UNKNOWN"}`,
          values: '0+60x40',
        },
        {
          series: `booking_state_oldest_seconds{${booking}, status="RESERVING_SEATS"}`,
          values: '0+60x5 0x35',
        },
        // Not an unknown outcome: a pay-later reservation may wait its 24 hours.
        {
          series: `booking_state_oldest_seconds{${booking}, status="RESERVED_PENDING_PAYMENT"}`,
          values: '0+60x40',
        },
        {
          series: `payment_pending_oldest_age_seconds{${payment}, operation="charge"}`,
          values: '0+60x40',
        },
        {
          series: `payment_pending_oldest_age_seconds{${payment}, operation="refund"}`,
          values: '0x40',
        },
      ],
      [
        { eval_time: '18m', alertname: 'TourkitBookingUnsettled', exp_alerts: [] },
        {
          eval_time: '22m',
          alertname: 'TourkitBookingUnsettled',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', service: 'booking', status: 'PAYMENT_UNKNOWN' },
              exp_annotations: {
                summary: 'A booking has been PAYMENT_UNKNOWN for 22m 0s',
                description:
                  'The saga reconciler cannot settle it (catalog or payment unreachable?); it ends at its bound, and staff can act on it at /v1/admin/bookings.',
              },
            },
          ],
        },
        { eval_time: '18m', alertname: 'TourkitPaymentUnsettled', exp_alerts: [] },
        {
          eval_time: '22m',
          alertname: 'TourkitPaymentUnsettled',
          exp_alerts: [
            {
              exp_labels: { severity: 'critical', service: 'payment', operation: 'charge' },
              exp_annotations: {
                summary: 'A charge has been PENDING at the provider for 22m 0s',
                description:
                  'The payment reconciler cannot learn what the provider did with it: money may be taken or owed.',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('queue backlogs fire after 10 minutes above their limit, not on a short spike', async () => {
    const result = await promtoolTest(
      [
        {
          series: `payment_queue_depth{namespace="${NS}", service="booking"}`,
          values: '60x5 0x3 60x15',
        },
        {
          series: `notification_queue_depth{namespace="${NS}", service="notification", state="waiting"}`,
          values: '150x20',
        },
      ],
      [
        { eval_time: '7m', alertname: 'TourkitPaymentQueueBacklog', exp_alerts: [] },
        { eval_time: '19m', alertname: 'TourkitPaymentQueueBacklog', exp_alerts: [] },
        {
          eval_time: '21m',
          alertname: 'TourkitPaymentQueueBacklog',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', service: 'booking' },
              exp_annotations: {
                summary: 'Payment jobs pile up',
                description: '60 payment jobs have been waiting for 10 minutes.',
              },
            },
          ],
        },
        {
          eval_time: '11m',
          alertname: 'TourkitNotificationQueueBacklog',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', service: 'notification' },
              exp_annotations: {
                summary: 'E-mails pile up',
                description: '150 notification jobs have been queued for 10 minutes.',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('TourkitScheduleDrifted: fires when the controller corrects a foreign edit', async () => {
    const series =
      'tourkit_scaling_schedule_drift_corrections_total{namespace="tourkit", name="booking"}';
    const result = await promtoolTest(
      [{ series, values: '0x10 1x20' }],
      [
        { eval_time: '9m', alertname: 'TourkitScheduleDrifted', exp_alerts: [] },
        {
          eval_time: '12m',
          alertname: 'TourkitScheduleDrifted',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', name: 'booking' },
              exp_annotations: {
                summary: 'Someone edited the bounds of the HPA that booking manages',
                description:
                  'The ScalingSchedule controller corrected 1 foreign edits in 30 minutes: a deploy tool or a person fights it (see the Argo CD / Flux settings in operator/README.md).',
              },
            },
          ],
        },
      ],
    );
    expect(result).toBe('SUCCESS');
  });

  it('passes promtool check rules (valid PromQL, no duplicate groups)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tourkit-rules-'));
    try {
      const file = path.join(dir, 'rules.json');
      writeFileSync(file, JSON.stringify({ groups: ruleGroups(NS, SERVICE_NAMES) }));
      const { stdout } = await promisify(execFile)(promtool, ['check', 'rules', file]);
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
