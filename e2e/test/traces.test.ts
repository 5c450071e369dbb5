import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPort } from '@tourkit/kit/testing';
import { startJaeger, type Jaeger } from '@tourkit/observability';
import { bookingOf, createTour, signUp } from './support/actors.js';
import { expectAnswer } from './support/api.js';
import { eventually } from './support/eventually.js';
import { mailsOf } from './support/mail.js';
import { SERVICES, startPlatform, withLogsOnFailure, type Platform } from './support/platform.js';

// One booking is one trace: the gateway's request, booking's saga and its call to catalog, the
// payment job taken from the BullMQ queue, the charge at payment, the confirmation e-mail handed
// through booking's outbox to notification, and notification's delivery job that sends it. Every
// service exports its spans over OTLP to a real Jaeger (the tools cache's build), and the trace is
// read back from Jaeger's HTTP API.

interface JaegerTrace {
  traceID: string;
  spans: Array<{ spanID: string; operationName: string; processID: string }>;
  processes: Record<string, { serviceName: string }>;
}

let jaeger: Jaeger | undefined;
let platform: Platform | undefined;
let dir: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tourkit-traces-'));
  jaeger = await startJaeger({
    dir,
    queryPort: await closedPort(),
    queryGrpcPort: await closedPort(),
    otlpHttpPort: await closedPort(),
  });
  const exporting = {
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint,
    // Export every half second rather than every 5 s: the test waits for the last span.
    OTEL_BSP_SCHEDULE_DELAY: '500',
  };
  platform = await startPlatform('traces', {
    env: Object.fromEntries(
      SERVICES.map((service) => [
        service,
        service === 'notification' ? { ...exporting, REMINDER_CRON: '0 0 1 1 *' } : exporting,
      ]),
    ),
    // Seven processes and Jaeger on two shared cores: start-up may be slow.
    readyTimeoutMs: 180_000,
  });
}, 420_000);

afterAll(async () => {
  await platform?.stop();
  await jaeger?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function traceFromJaeger(traceId: string): Promise<JaegerTrace | undefined> {
  const answer = await fetch(`${jaeger!.url}/api/traces/${traceId}`);
  if (!answer.ok) return undefined; // 404 until the first span of it arrives
  return ((await answer.json()) as { data: JaegerTrace[] }).data[0];
}

const servicesOf = (t: JaegerTrace) =>
  [...new Set(t.spans.map((span) => t.processes[span.processID]!.serviceName))].sort();

test(
  'a booking is one trace from the gateway through booking, catalog, payment and the e-mail',
  withLogsOnFailure(
    () => platform,
    async () => {
      const p = platform!;
      const ada = await signUp(p, 'ada');
      const tour = await createTour(p, {
        title: 'Montmartre by lantern',
        destination: 'Paris',
        country: 'FR',
        startsAt: new Date(Date.now() + 30 * 24 * 3_600_000),
        priceCents: 3_500,
        operatorEmail: `operator-${randomUUID().slice(0, 8)}@example.test`,
      });

      // The traveller's client starts the trace (as a browser's tracing would): its id is known.
      const traceId = randomBytes(16).toString('hex');
      const booked = expectAnswer(
        await ada.client.POST('/v1/bookings', {
          params: { header: { 'idempotency-key': `traced-${randomUUID()}` } },
          headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
          body: { tourId: tour.id, travellers: 2 },
        }),
        201,
        'book',
      );
      await eventually(
        'the booking CONFIRMED',
        async () => (await bookingOf(ada, booked.id)).status === 'CONFIRMED',
      );
      await eventually(
        'the confirmation e-mail',
        async () => mailsOf(p.smtp.messages, `booking-confirmed:${booked.id}`)[0],
      );

      const expected = ['booking', 'catalog', 'gateway', 'notification', 'payment'];
      const trace = await eventually(
        'every service of the booking in its trace at Jaeger',
        async () => {
          const found = await traceFromJaeger(traceId);
          return found && expected.every((s) => servicesOf(found).includes(s)) ? found : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(servicesOf(trace)).toEqual(expect.arrayContaining(expected));

      const operations = (service: string) =>
        trace.spans
          .filter((span) => trace.processes[span.processID]!.serviceName === service)
          .map((span) => span.operationName);
      // The hops that are not HTTP calls: the payment job, the outbox row, the delivery job.
      expect(operations('booking')).toEqual(
        expect.arrayContaining([
          'add payments.charge',
          'process payments',
          'outbox deliver notification',
        ]),
      );
      expect(operations('notification')).toEqual(
        expect.arrayContaining(['add notifications.deliver', 'process notifications']),
      );
    },
  ),
  180_000,
);
