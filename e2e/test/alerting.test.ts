import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPort } from '@tourkit/kit/testing';
import { startStack, type Stack } from '@tourkit/observability';
import { eventually } from './support/eventually.js';
import {
  SERVICES,
  SUPPORT_EMAIL,
  startPlatform,
  withLogsOnFailure,
  type Platform,
} from './support/platform.js';

// An alert that reaches a person, end to end: the platform's own rules in a real Prometheus that
// scrapes the seven services, a real Alertmanager routing by e-mail to support, and the SMTP server
// the platform's mail goes to. Payment stops under traffic: TourkitServiceDown fires and its e-mail
// arrives; payment comes back: the resolved notice arrives.

let platform: Platform | undefined;
let stack: Stack | undefined;
let dir: string | undefined;
let traffic: NodeJS.Timeout | undefined;

beforeAll(async () => {
  platform = await startPlatform('alerting', {
    env: { notification: { REMINDER_CRON: '0 0 1 1 *' } },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'tourkit-alerting-'));
  stack = await startStack({
    dir,
    namespace: 'tourkit',
    targets: SERVICES.map((service) => ({
      service,
      address: new URL(platform!.url[service]!).host,
    })),
    services: SERVICES,
    smtp: `127.0.0.1:${platform.smtp.port}`,
    supportEmail: SUPPORT_EMAIL,
    prometheusPort: await closedPort(),
    alertmanagerPort: await closedPort(),
    interval: '2s',
  });
  // Steady traffic through the gateway while it happens: a search every 200 ms, for this test only.
  // A failed search is no failure here, but an undocumented answer is (the contract guard).
  traffic = setInterval(() => {
    void platform!.gateway.get('/v1/tours?pageSize=2').catch(() => undefined);
  }, 200);
}, 240_000);

afterAll(async () => {
  if (traffic) clearInterval(traffic);
  await stack?.stop();
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const alertMails = (state: 'FIRING' | 'RESOLVED') =>
  platform!.smtp.messages.filter(
    (m) =>
      m.subject.includes(`[${state}`) &&
      m.subject.includes('TourkitServiceDown') &&
      m.envelope.to.includes(SUPPORT_EMAIL),
  );

it(
  'e-mails support when payment goes down under traffic, and again when it is back',
  withLogsOnFailure(
    () => platform,
    async () => {
      const p = platform!;
      // Every service is scraped and up before anything happens, and nothing fires.
      await eventually(
        'Prometheus to see every service up',
        async () => {
          const answer = await fetch(
            `${stack!.prometheusUrl}/api/v1/query?query=${encodeURIComponent('sum by (service) (up{namespace="tourkit"})')}`,
          );
          const body = (await answer.json()) as {
            data: { result: Array<{ metric: { service: string }; value: [number, string] }> };
          };
          const up = body.data.result
            .filter((r) => r.value[1] === '1')
            .map((r) => r.metric.service);
          return SERVICES.every((s) => up.includes(s)) ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(alertMails('FIRING')).toEqual([]);

      await p.kill('payment', 'SIGTERM');
      // The rule waits one minute (for: 1m); scrape, evaluation and grouping add seconds.
      await eventually('the firing e-mail about payment', async () => alertMails('FIRING')[0], {
        timeoutMs: 150_000,
        intervalMs: 1000,
      });
      const firing = alertMails('FIRING');
      expect(firing).toHaveLength(1);
      expect(firing[0]!.body).toContain('payment is down');
      expect(firing[0]!.body).not.toContain('catalog is down');

      await p.start('payment');
      await eventually('the resolved e-mail about payment', async () => alertMails('RESOLVED')[0], {
        timeoutMs: 120_000,
        intervalMs: 1000,
      });
      expect(alertMails('RESOLVED')[0]!.body).toContain('payment');
    },
  ),
  360_000,
);
