import { randomUUID } from 'node:crypto';
import { countByMessageId, deliveries, eventually } from '../support/harness.js';
import {
  ada,
  bob,
  deliveredRow,
  deliveryForFile,
  louvre,
  mailWithKey,
} from '../support/delivery.js';

const t = deliveryForFile('notification_reminders');

describe('reminders', () => {
  it('sends each upcoming booking exactly one reminder, however often the job runs', async () => {
    const bookings = [ada, bob, ada].map((user) => ({
      id: randomUUID(),
      userId: user.id,
      tourId: louvre.id,
      tourStartsAt: louvre.startsAt,
      status: 'CONFIRMED',
    }));
    t.h.upstreams.upcoming.push(...bookings);
    // Two replicas at the same time, then the next hour's run.
    const [first, second] = await Promise.all([
      t.h.post('/internal/jobs/reminders/run', {}),
      t.h.post('/internal/jobs/reminders/run', {}),
    ]);
    const third = await t.h.post('/internal/jobs/reminders/run', {});
    expect(first!.body.queued + second!.body.queued).toBe(3);
    expect(third.body).toEqual({ bookings: 3, queued: 0, duplicates: 3 });
    expect(t.h.upstreams.requests).toContain('/internal/bookings/upcoming?within=24h&limit=1000');

    for (const booking of bookings) {
      const row = await t.h.service.store.byDedupeKey(
        `reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`,
      );
      await deliveredRow(t.h, row!.id);
    }
    await eventually(
      async () =>
        (await t.h.service.queue.getJobCounts('waiting', 'active', 'delayed')).waiting === 0,
    );
    const reminders = bookings.map((booking) =>
      mailWithKey(t.h, `reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`),
    );
    expect(reminders.map((mails) => mails.length)).toEqual([1, 1, 1]);
    expect(reminders.map((mails) => mails[0]!.envelope.to[0])).toEqual([
      ada.email,
      bob.email,
      ada.email,
    ]);
    expect(reminders[0]![0]!.subject).toBe('Rappel : Louvre at night commence demain');
    const duplicates = [...countByMessageId(t.h.smtp.messages).values()].filter(
      (count) => count > 1,
    );
    expect(duplicates).toEqual([]);
    const metrics = await (await fetch(`${t.h.url}/metrics`)).text();
    // The three of this run (this file's service sent no other reminder).
    expect(metrics).toMatch(/reminders_sent_total 3/);
  });

  it('a booking whose tour moved gets one reminder for the new time, not a second for the old', async () => {
    const moved = {
      id: randomUUID(),
      userId: ada.id,
      tourId: louvre.id,
      tourStartsAt: louvre.startsAt,
      status: 'CONFIRMED',
    };
    t.h.upstreams.upcoming.push(moved);
    const before = (await t.h.post('/internal/jobs/reminders/run', {})).body;
    expect(before.queued).toBe(1);
    // Catalog moved the tour an hour later; booking now reports the new start.
    const newStart = new Date(Date.parse(louvre.startsAt) + 3_600_000).toISOString();
    moved.tourStartsAt = newStart;
    const after = (await t.h.post('/internal/jobs/reminders/run', {})).body;
    expect(after).toMatchObject({ queued: 1, duplicates: after.bookings - 1 });
    const again = (await t.h.post('/internal/jobs/reminders/run', {})).body;
    expect(again).toMatchObject({ queued: 0, duplicates: again.bookings });
    const row = await t.h.service.store.byDedupeKey(`reminder:${moved.id}:${newStart}`);
    await deliveredRow(t.h, row!.id);
    expect(deliveries(mailWithKey(t.h, `reminder:${moved.id}:${newStart}`))).toBe(1);
  });

  it('registers the hourly scheduler in Redis', async () => {
    const scheduler = await t.h.service.queue.getJobScheduler('hourly-reminders');
    expect(scheduler).toMatchObject({ pattern: '0 * * * *' });
  });
});
