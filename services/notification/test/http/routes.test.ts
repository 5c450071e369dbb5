import { randomUUID } from 'node:crypto';
import { messageIdFor } from '../../src/domain/notification.js';
import {
  countByMessageId,
  deliveries,
  eventually,
  startHarness,
  SUPPORT_EMAIL,
  type Harness,
} from '../support/harness.js';

let h: Harness;
const ada = { id: randomUUID(), email: 'ada@example.com', name: 'Ada', country: 'FR' };
const bob = { id: randomUUID(), email: 'bob@example.com', name: 'Bob', country: 'GB' };
const louvre = {
  id: randomUUID(),
  title: 'Louvre at night',
  destination: 'Paris',
  startsAt: '2030-05-12T19:00:00.000Z',
  operatorEmail: 'operator+paris@tourkit.dev',
};

beforeAll(async () => {
  h = await startHarness('notification_delivery');
  h.upstreams.users.set(ada.id, ada);
  h.upstreams.users.set(bob.id, bob);
  h.upstreams.tours.set(louvre.id, louvre);
});

afterAll(async () => {
  await h?.stop();
});

const mailWithKey = (key: string) => {
  const id = messageIdFor(key, h.service.config.MESSAGE_ID_DOMAIN);
  return h.smtp.messages.filter((mail) => mail.messageId === id);
};

async function deliveredRow(id: string) {
  await eventually(async () => (await h.service.store.get(id))?.status === 'sent');
  return (await h.service.store.get(id))!;
}

describe('POST /internal/notifications', () => {
  it('delivers every type, enriched, to the right recipient', async () => {
    const bookingId = randomUUID();
    const requests = [
      {
        type: 'booking-confirmed',
        dedupeKey: `booking-confirmed:${bookingId}`,
        userId: ada.id,
        tourId: louvre.id,
        bookingId,
        data: { totalCents: 12_345 },
      },
      {
        type: 'payment-link',
        dedupeKey: `payment-link:${bookingId}`,
        userId: bob.id,
        tourId: louvre.id,
        bookingId,
        data: {
          paymentLink: `https://tourkit.test/bookings/${bookingId}/pay`,
          expiresAt: '2030-05-11T19:00:00.000Z',
        },
      },
      {
        type: 'support-alert',
        dedupeKey: `support-alert:${bookingId}`,
        bookingId,
        data: { reason: 'Payment failed after 5 retries' },
      },
      {
        type: 'review-posted',
        dedupeKey: `review-posted:${bookingId}`,
        tourId: louvre.id,
        userId: ada.id,
        data: { rating: 5, comment: 'Magnifique <3' },
      },
      {
        type: 'reminder',
        dedupeKey: `reminder:${bookingId}`,
        userId: bob.id,
        tourId: louvre.id,
        bookingId,
      },
    ];
    const accepted = await Promise.all(
      requests.map((body) => h.post('/internal/notifications', body)),
    );
    for (const response of accepted) {
      expect(response.status).toBe(202);
      expect(response.body.status).toBe('queued');
    }
    const rows = await Promise.all(accepted.map((response) => deliveredRow(response.body.id)));
    expect(rows.map((row) => row.recipient)).toEqual([
      ada.email,
      bob.email,
      SUPPORT_EMAIL,
      louvre.operatorEmail,
      bob.email,
    ]);

    const [confirmed] = mailWithKey(`booking-confirmed:${bookingId}`);
    expect(confirmed!.envelope.to).toEqual([ada.email]);
    expect(confirmed!.subject).toBe('Réservation confirmée : Louvre at night');
    expect(confirmed!.body).toContain('Bonjour Ada,');
    expect(confirmed!.body).toMatch(/123,45\s€/);

    const [link] = mailWithKey(`payment-link:${bookingId}`);
    expect(link!.subject).toBe('Your booking is waiting for payment');
    expect(link!.body).toContain(`https://tourkit.test/bookings/${bookingId}/pay`);
    expect(link!.body).toContain('Hello Bob,');

    const [alert] = mailWithKey(`support-alert:${bookingId}`);
    expect(alert!.envelope.to).toEqual([SUPPORT_EMAIL]);
    expect(alert!.subject).toContain('Payment failed after 5 retries');

    const [review] = mailWithKey(`review-posted:${bookingId}`);
    expect(review!.envelope.to).toEqual([louvre.operatorEmail]);
    expect(review!.subject).toBe('New review (5/5) of Louvre at night');
    expect(review!.body).toContain('Magnifique &lt;3'); // escaped in the HTML part

    const [reminder] = mailWithKey(`reminder:${bookingId}`);
    expect(reminder!.subject).toBe('Reminder: Louvre at night starts tomorrow');
    expect(reminder!.body).toContain('Paris');
    expect(reminder!.body).toContain('19:00 UTC');
    expect(reminder!.headers['x-tourkit-notification']).toContain('reminder');
  });

  it('sends one e-mail for a dedupe key however often it is posted', async () => {
    const body = {
      type: 'support-alert',
      dedupeKey: `support-alert:dup:${randomUUID()}`,
      data: { reason: 'dup' },
    };
    const responses = await Promise.all(
      [1, 2, 3, 4].map(() => h.post('/internal/notifications', body)),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(responses.filter((r) => r.body.status === 'queued')).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    await deliveredRow(responses[0]!.body.id);
    const again = await h.post('/internal/notifications', body);
    expect(again.body).toEqual({ id: responses[0]!.body.id, status: 'duplicate' });
    // The row is sent and the queue is empty: nothing else can still arrive for this key.
    await eventually(
      async () =>
        (await h.service.queue.getJobCounts('waiting', 'active', 'delayed')).waiting === 0,
    );
    expect(deliveries(mailWithKey(body.dedupeKey))).toBe(1);
  });

  it('refuses bad requests with a problem naming the field', async () => {
    const noLink = await h.post('/internal/notifications', {
      type: 'payment-link',
      dedupeKey: 'payment-link:x',
      userId: ada.id,
      data: {},
    });
    expect(noLink.status).toBe(400);
    expect(noLink.body.errors).toEqual([expect.objectContaining({ field: 'data.paymentLink' })]);
    const badType = await h.post('/internal/notifications', { type: 'sms', dedupeKey: 'k' });
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].field).toBe('type');
    const reminderWithoutTour = await h.post('/internal/notifications', {
      type: 'reminder',
      dedupeKey: 'reminder:x',
      userId: ada.id,
    });
    expect(reminderWithoutTour.body.errors).toEqual([expect.objectContaining({ field: 'tourId' })]);
  });

  it('requires the internal token', async () => {
    const response = await fetch(`${h.url}/internal/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'support-alert', dedupeKey: 'no-token' }),
    });
    expect(response.status).toBe(401);
  });

  it('marks a notification failed at once when its user does not exist', async () => {
    const response = await h.post('/internal/notifications', {
      type: 'booking-confirmed',
      dedupeKey: `booking-confirmed:${randomUUID()}`,
      userId: randomUUID(),
    });
    await eventually(
      async () => (await h.service.store.get(response.body.id))?.status === 'failed',
    );
    const row = await h.get(`/internal/notifications/${response.body.id}`);
    expect(row.body).toMatchObject({ status: 'failed', attempts: 0 });
    expect(row.body.lastError).toContain('404');
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/notifications_total\{type="booking-confirmed",status="failed"\} 1/);
  });
});

describe('reminders', () => {
  it('sends each upcoming booking exactly one reminder, however often the job runs', async () => {
    const bookings = [ada, bob, ada].map((user) => ({
      id: randomUUID(),
      userId: user.id,
      tourId: louvre.id,
      tourStartsAt: louvre.startsAt,
      status: 'CONFIRMED',
    }));
    h.upstreams.upcoming.push(...bookings);
    // Two replicas at the same time, then the next hour's run.
    const [first, second] = await Promise.all([
      h.post('/internal/jobs/reminders/run', {}),
      h.post('/internal/jobs/reminders/run', {}),
    ]);
    const third = await h.post('/internal/jobs/reminders/run', {});
    expect(first!.body.queued + second!.body.queued).toBe(3);
    expect(third.body).toEqual({ bookings: 3, queued: 0, duplicates: 3 });
    expect(h.upstreams.requests).toContain('/internal/bookings/upcoming?within=24h&limit=1000');

    for (const booking of bookings) {
      const row = await h.service.store.byDedupeKey(
        `reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`,
      );
      await deliveredRow(row!.id);
    }
    await eventually(
      async () =>
        (await h.service.queue.getJobCounts('waiting', 'active', 'delayed')).waiting === 0,
    );
    const reminders = bookings.map((booking) =>
      mailWithKey(`reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`),
    );
    expect(reminders.map((mails) => mails.length)).toEqual([1, 1, 1]);
    expect(reminders.map((mails) => mails[0]!.envelope.to[0])).toEqual([
      ada.email,
      bob.email,
      ada.email,
    ]);
    expect(reminders[0]![0]!.subject).toBe('Rappel : Louvre at night commence demain');
    const duplicates = [...countByMessageId(h.smtp.messages).values()].filter((count) => count > 1);
    expect(duplicates).toEqual([]);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    // Three from this run, plus the reminder posted directly in the first test.
    expect(metrics).toMatch(/reminders_sent_total 4/);
  });

  it('a booking whose tour moved gets one reminder for the new time, not a second for the old', async () => {
    const moved = {
      id: randomUUID(),
      userId: ada.id,
      tourId: louvre.id,
      tourStartsAt: louvre.startsAt,
      status: 'CONFIRMED',
    };
    h.upstreams.upcoming.push(moved);
    const before = (await h.post('/internal/jobs/reminders/run', {})).body;
    expect(before.queued).toBe(1);
    // Catalog moved the tour an hour later; booking now reports the new start.
    const newStart = new Date(Date.parse(louvre.startsAt) + 3_600_000).toISOString();
    moved.tourStartsAt = newStart;
    const after = (await h.post('/internal/jobs/reminders/run', {})).body;
    expect(after).toMatchObject({ queued: 1, duplicates: after.bookings - 1 });
    const again = (await h.post('/internal/jobs/reminders/run', {})).body;
    expect(again).toMatchObject({ queued: 0, duplicates: again.bookings });
    const row = await h.service.store.byDedupeKey(`reminder:${moved.id}:${newStart}`);
    await deliveredRow(row!.id);
    expect(deliveries(mailWithKey(`reminder:${moved.id}:${newStart}`))).toBe(1);
  });

  it('registers the hourly scheduler in Redis', async () => {
    const scheduler = await h.service.queue.getJobScheduler('hourly-reminders');
    expect(scheduler).toMatchObject({ pattern: '0 * * * *' });
  });
});

describe('SMTP down', () => {
  it('keeps retrying, reports DEGRADED, and delivers once SMTP is back', async () => {
    await h.smtp.stop();
    const response = await h.post('/internal/notifications', {
      type: 'booking-confirmed',
      dedupeKey: `booking-confirmed:${randomUUID()}`,
      userId: ada.id,
    });
    expect(response.body.status).toBe('queued');
    await eventually(
      async () => ((await h.service.store.get(response.body.id))?.attempts ?? 0) >= 2,
    );
    const health = await fetch(`${h.url}/health`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(report.status).toBe('DEGRADED');
    expect(report.checks.smtp!.status).toBe('DOWN');
    expect(report.checks.db!.status).toBe('UP');
    expect(report.checks.redis!.status).toBe('UP');
    expect((await h.service.store.get(response.body.id))!.status).not.toBe('sent');

    await h.smtp.start();
    const row = await deliveredRow(response.body.id);
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(deliveries(h.smtp.messages.filter((mail) => mail.messageId === row.messageId))).toBe(1);
    expect(((await (await fetch(`${h.url}/health`)).json()) as { status: string }).status).toBe(
      'UP',
    );
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(
      /notifications_total\{type="booking-confirmed",status="retried"\} [1-9]/,
    );
    expect(metrics).toMatch(/notification_queue_depth\{state="waiting"\} \d+/);
  });
});
