// A ScalingCalendar on a real control plane: two schedules name it; while it is missing they are
// Degraded and write nothing; a holiday puts both at their default bounds; changing the calendar
// (an event instead) re-plans both at once; the CRD refuses overlapping events.
import { kubectl, kubectlOrThrow, waitFor } from '@tourkit/testenv';
import { bookingSchedule } from '../../src/deploy/manifests.js';
import {
  clockAt,
  clusterFixture,
  createHpa,
  hpaBounds,
  readSchedule,
  startController,
  waitForBounds,
} from './support.js';

const WEDNESDAY_NOON = '2026-06-10T10:00:00Z'; // business hours in Paris: 5–10
const testMs = 120_000;

const fixture = clusterFixture('opcal', testMs);

const applyCalendar = (spec: unknown) =>
  kubectl(fixture.cluster, ['apply', '--server-side', '--field-manager=test', '-f', '-'], {
    namespace: fixture.namespace.name,
    input: JSON.stringify({
      apiVersion: 'scaling.tourkit.dev/v1alpha1',
      kind: 'ScalingCalendar',
      metadata: { name: 'shop-calendar' },
      spec,
    }),
  });

const event = (name: string, from: string, until: string, min: number, max: number) => ({
  name,
  from,
  until,
  minReplicas: min,
  maxReplicas: max,
});

test(
  'schedules that name a calendar follow its holidays and events, and every change of it',
  async () => {
    const ns = fixture.namespace.name;
    for (const name of ['cart', 'search']) {
      await createHpa(fixture.cluster, ns, name, 1, 3);
      const schedule = bookingSchedule({ namespace: ns, name, hpaName: name });
      await kubectlOrThrow(fixture.cluster, ['apply', '-f', '-'], {
        namespace: ns,
        input: JSON.stringify({
          ...schedule,
          spec: { ...schedule.spec, calendarRef: { name: 'shop-calendar' } },
        }),
      });
    }
    fixture.controller = startController(fixture.cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });

    // No calendar yet: Degraded, and the HPAs keep their own bounds.
    const degraded = await waitFor('CalendarNotFound', async () => {
      const s = await readSchedule(fixture.cluster, ns, 'cart');
      return s.status?.conditions?.find((c) => c.type === 'Degraded' && c.status === 'True');
    });
    expect(degraded).toMatchObject({
      reason: 'CalendarNotFound',
      message: `ScalingCalendar shop-calendar not found in namespace ${ns}`,
    });
    expect(await hpaBounds(fixture.cluster, ns, 'cart')).toEqual([1, 3]);

    // The calendar appears with today as a holiday: both schedules at their default, 2–4.
    expect(
      await applyCalendar({ holidays: [{ date: '2026-06-10', reason: 'inventory day' }] }),
    ).toMatchObject({ code: 0 });
    await waitForBounds(fixture.cluster, ns, 'cart', [2, 4]);
    await waitForBounds(fixture.cluster, ns, 'search', [2, 4]);
    expect((await readSchedule(fixture.cluster, ns, 'search')).status?.activeWindow).toBe(
      'default (excluded day)',
    );

    // The holiday moves away and an event covers now: both follow, with no restart.
    expect(
      await applyCalendar({
        holidays: [{ date: '2026-12-25' }],
        events: [event('fair', '2026-06-10T08:00:00Z', '2026-06-10T14:00:00Z', 8, 12)],
      }),
    ).toMatchObject({ code: 0 });
    await waitForBounds(fixture.cluster, ns, 'cart', [8, 12]);
    await waitForBounds(fixture.cluster, ns, 'search', [8, 12]);
    expect((await readSchedule(fixture.cluster, ns, 'cart')).status).toMatchObject({
      activeWindow: 'override/shop-calendar/fair',
      nextTransition: '2026-06-10T14:00:00.000Z',
    });
  },
  testMs,
);

test(
  'the CRD refuses overlapping events and a badly written holiday, naming them',
  async () => {
    const result = await applyCalendar({
      holidays: [{ date: '25/12/2026' }],
      events: [
        event('a', '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z', 1, 2),
        event('b', '2026-11-27T12:00:00Z', '2026-11-29T00:00:00Z', 1, 2),
      ],
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('two events overlap in time');
    expect(result.stderr).toContain('spec.holidays[0].date');
  },
  testMs,
);
