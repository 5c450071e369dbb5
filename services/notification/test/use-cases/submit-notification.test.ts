import { randomUUID } from 'node:crypto';
import { deliveries, eventually, SUPPORT_EMAIL } from '../support/harness.js';
import {
  ada,
  bob,
  deliveredRow,
  deliveryForFile,
  louvre,
  mailWithKey,
} from '../support/delivery.js';

const t = deliveryForFile('notification_submit');

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
      requests.map((body) => t.h.post('/internal/notifications', body)),
    );
    for (const response of accepted) {
      expect(response.status).toBe(202);
      expect(response.body.status).toBe('queued');
    }
    const rows = await Promise.all(accepted.map((response) => deliveredRow(t.h, response.body.id)));
    expect(rows.map((row) => row.recipient)).toEqual([
      ada.email,
      bob.email,
      SUPPORT_EMAIL,
      louvre.operatorEmail,
      bob.email,
    ]);

    const [confirmed] = mailWithKey(t.h, `booking-confirmed:${bookingId}`);
    expect(confirmed!.envelope.to).toEqual([ada.email]);
    expect(confirmed!.subject).toBe('Réservation confirmée : Louvre at night');
    expect(confirmed!.body).toContain('Bonjour Ada,');
    expect(confirmed!.body).toMatch(/123,45\s€/);

    const [link] = mailWithKey(t.h, `payment-link:${bookingId}`);
    expect(link!.subject).toBe('Your booking is waiting for payment');
    expect(link!.body).toContain(`https://tourkit.test/bookings/${bookingId}/pay`);
    expect(link!.body).toContain('Hello Bob,');

    const [alert] = mailWithKey(t.h, `support-alert:${bookingId}`);
    expect(alert!.envelope.to).toEqual([SUPPORT_EMAIL]);
    expect(alert!.subject).toContain('Payment failed after 5 retries');

    const [review] = mailWithKey(t.h, `review-posted:${bookingId}`);
    expect(review!.envelope.to).toEqual([louvre.operatorEmail]);
    expect(review!.subject).toBe('New review (5/5) of Louvre at night');
    expect(review!.body).toContain('Magnifique &lt;3'); // escaped in the HTML part

    const [reminder] = mailWithKey(t.h, `reminder:${bookingId}`);
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
      [1, 2, 3, 4].map(() => t.h.post('/internal/notifications', body)),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(responses.filter((r) => r.body.status === 'queued')).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    await deliveredRow(t.h, responses[0]!.body.id);
    const again = await t.h.post('/internal/notifications', body);
    expect(again.body).toEqual({ id: responses[0]!.body.id, status: 'duplicate' });
    // The row is sent and the queue is empty: nothing else can still arrive for this key.
    await eventually(
      async () =>
        (await t.h.service.queue.getJobCounts('waiting', 'active', 'delayed')).waiting === 0,
    );
    expect(deliveries(mailWithKey(t.h, body.dedupeKey))).toBe(1);
  });

  it('refuses bad requests with a problem naming the field', async () => {
    const noLink = await t.h.post('/internal/notifications', {
      type: 'payment-link',
      dedupeKey: 'payment-link:x',
      userId: ada.id,
      data: {},
    });
    expect(noLink.status).toBe(400);
    expect(noLink.body.errors).toEqual([expect.objectContaining({ field: 'data.paymentLink' })]);
    const badType = await t.h.post('/internal/notifications', { type: 'sms', dedupeKey: 'k' });
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].field).toBe('type');
    const reminderWithoutTour = await t.h.post('/internal/notifications', {
      type: 'reminder',
      dedupeKey: 'reminder:x',
      userId: ada.id,
    });
    expect(reminderWithoutTour.body.errors).toEqual([expect.objectContaining({ field: 'tourId' })]);
  });

  it('requires the internal token', async () => {
    const response = await fetch(`${t.h.url}/internal/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'support-alert', dedupeKey: 'no-token' }),
    });
    expect(response.status).toBe(401);
  });

  it('marks a notification failed at once when its user does not exist', async () => {
    const response = await t.h.post('/internal/notifications', {
      type: 'booking-confirmed',
      dedupeKey: `booking-confirmed:${randomUUID()}`,
      userId: randomUUID(),
    });
    await eventually(
      async () => (await t.h.service.store.get(response.body.id))?.status === 'failed',
    );
    const row = await t.h.get(`/internal/notifications/${response.body.id}`);
    expect(row.body).toMatchObject({ status: 'failed', attempts: 0 });
    expect(row.body.lastError).toContain('404');
    const metrics = await (await fetch(`${t.h.url}/metrics`)).text();
    expect(metrics).toMatch(/notifications_total\{type="booking-confirmed",status="failed"\} 1/);
  });
});
