import { plan, planRelease } from '../../src/controller/plan.js';
import {
  LEGACY_FINALIZER,
  ORIGINAL_BOUNDS_ANNOTATION,
  type HpaView,
  type ScheduleObject,
} from '../../src/controller/resource.js';
import type { Bounds } from '../../src/schedule/schema.js';
import { bookingWindows } from '../schedule/fixtures.js';

const wednesdayNoon = new Date('2026-06-10T10:00:00Z'); // business hours in Paris
const wednesdayNight = new Date('2026-06-10T20:00:00Z');

function schedule(
  overrides: Partial<ScheduleObject> = {},
  spec: Record<string, unknown> = {},
): ScheduleObject {
  return {
    apiVersion: 'scaling.tourkit.dev/v1alpha1',
    kind: 'ScalingSchedule',
    metadata: { name: 'booking', namespace: 'shop', generation: 1, uid: 'u1' },
    spec: {
      targetRef: { kind: 'HorizontalPodAutoscaler', name: 'booking' },
      timeZone: 'Europe/Paris',
      default: { minReplicas: 2, maxReplicas: 4 },
      windows: bookingWindows,
      ...spec,
    },
    ...overrides,
  };
}

const bounds = (minReplicas: number, maxReplicas: number): Bounds => ({
  minReplicas,
  maxReplicas,
});

const hpa = (minReplicas: number, maxReplicas: number, extra: Partial<HpaView> = {}): HpaView => ({
  name: 'booking',
  uid: 'hpa-1',
  bounds: bounds(minReplicas, maxReplicas),
  foreignOwners: [],
  originals: null,
  ...extra,
});

/** The HPA as our apply leaves it: the bounds, and the record naming the schedule. */
const managed = (
  min: number,
  max: number,
  originals = bounds(1, 3),
  extra: Partial<HpaView> = {},
) => hpa(min, max, { managedBy: 'booking', originals, ...extra });

/** A schedule after its first reconcile at Wednesday noon. */
const adopted = (spec: Record<string, unknown> = {}) => {
  const first = plan(schedule({}, spec), hpa(1, 3), wednesdayNoon);
  return schedule({ status: first.status }, spec);
};

describe('plan', () => {
  it('adopts: one apply carries the window bounds and the record of the original bounds', () => {
    const p = plan(schedule(), hpa(1, 3), wednesdayNoon);
    expect(p.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(1, 3) });
    expect(p.release).toBeUndefined();
    expect(p.removeLegacyFinalizer).toBeUndefined();
    expect(p.status).toMatchObject({
      activeWindow: 'business-hours',
      appliedBounds: bounds(5, 10),
      originalBounds: bounds(1, 3),
      nextTransition: '2026-06-10T15:00:00.000Z',
      observedGeneration: 1,
    });
    expect(p.events).toEqual([
      expect.objectContaining({
        reason: 'Adopted',
        note: "recorded the HPA's original bounds (min 1, max 3); business-hours: min 5, max 10",
      }),
    ]);
  });

  it('does nothing when the HPA and the status already agree (no-op reconcile)', () => {
    const s = adopted();
    const p = plan(s, managed(5, 10), new Date(wednesdayNoon.getTime() + 60_000));
    expect(p.apply).toBeUndefined();
    expect(p.release).toBeUndefined();
    expect(p.events).toEqual([]);
    expect(p.status).toEqual(s.status);
  });

  it('keeps the recorded originals, never the bounds it set itself (restart, re-reconcile)', () => {
    const p = plan(schedule(), managed(5, 10, bounds(1, 3)), wednesdayNight);
    expect(p.apply).toEqual({ bounds: bounds(2, 4), originals: bounds(1, 3) });
    expect(p.status.originalBounds).toEqual(bounds(1, 3));
    expect(p.events.map((e) => e.reason)).toEqual(['Scheduled']);
  });

  it('crossing a boundary applies the new bounds, emits a Transition and measures the lag', () => {
    const p = plan(adopted(), managed(5, 10), new Date('2026-06-10T15:00:02Z'));
    expect(p.apply).toEqual({ bounds: bounds(2, 4), originals: bounds(1, 3) });
    expect(p.events).toEqual([
      expect.objectContaining({
        reason: 'Transition',
        note: 'business-hours → default: min 5, max 10 → min 2, max 4',
      }),
    ]);
    expect(p.transitionDueAt?.toISOString()).toBe('2026-06-10T15:00:00.000Z');
  });

  it('a foreign edit is reported as Drifted (naming the manager) and corrected', () => {
    const p = plan(
      adopted(),
      managed(3, 10, bounds(1, 3), { foreignOwners: ['kubectl-edit'] }),
      wednesdayNoon,
    );
    expect(p.apply?.bounds).toEqual(bounds(5, 10));
    expect(p.driftCorrected).toBe(true);
    const drifted = p.status.conditions!.find((c) => c.type === 'Drifted')!;
    expect(drifted).toMatchObject({ status: 'True', reason: 'ForeignEdit' });
    expect(drifted.message).toContain('kubectl-edit set min 3, max 10');
    expect(p.events.map((e) => e.reason)).toEqual(['Drifted']);
  });

  it('a stripped record is written again from the status, and is no drift', () => {
    const s = schedule({
      status: { ...adopted().status, originalBounds: bounds(1, 3) },
    });
    // Someone stripped the annotations; the status still knows the schedule managed it.
    const p = plan(s, hpa(5, 10), wednesdayNoon);
    expect(p.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(1, 3) });
    expect(p.driftCorrected).toBeUndefined();
    expect(p.events).toEqual([]);
    // The same name, another HPA (deleted and created again): its own bounds are the originals.
    const recreated = plan(s, hpa(3, 8, { uid: 'hpa-2' }), wednesdayNoon);
    expect(recreated.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(3, 8) });
  });

  it('suspend gives the HPA back once (bounds and record), then leaves it alone', () => {
    const s = adopted();
    const suspended = schedule({ status: s.status }, { suspend: true });
    const p = plan(suspended, managed(5, 10), wednesdayNoon);
    expect(p.release).toEqual({ bounds: bounds(1, 3) });
    expect(p.apply).toBeUndefined();
    expect(p.requeueAt).toBeNull();
    expect(p.events.map((e) => e.reason)).toEqual(['Restored']);
    const later = plan(
      schedule({ status: p.status }, { suspend: true }),
      hpa(2, 2),
      wednesdayNight,
    );
    expect(later.release).toBeUndefined();
    expect(later.apply).toBeUndefined();
    expect(later.events).toEqual([]);
  });

  it('resuming adopts afresh: while suspended the HPA belonged to its owners', () => {
    const s = adopted();
    const suspended = plan(
      schedule({ status: s.status }, { suspend: true }),
      managed(5, 10),
      wednesdayNoon,
    );
    const resumed = plan(schedule({ status: suspended.status }), hpa(2, 6), wednesdayNoon);
    expect(resumed.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(2, 6) });
  });

  it('dryRun computes and reports, never applies', () => {
    const p = plan(schedule({}, { dryRun: true }), hpa(1, 3), wednesdayNoon);
    expect(p.apply).toBeUndefined();
    expect(p.release).toBeUndefined();
    expect(p.status).toMatchObject({
      activeWindow: 'dry-run: business-hours',
      desiredBounds: bounds(5, 10),
    });
    expect(p.status.appliedBounds).toBeUndefined();
  });

  it('an unknown zone or a missing HPA is Degraded, with no HPA write', () => {
    const bad = plan(schedule({}, { timeZone: 'Europe/Atlantis' }), hpa(1, 3), wednesdayNoon);
    expect(bad.apply).toBeUndefined();
    expect(bad.status.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'InvalidSpec',
    });
    const missing = plan(adopted(), null, wednesdayNoon);
    expect(missing.apply).toBeUndefined();
    expect(missing.status.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'TargetNotFound',
      message: 'HorizontalPodAutoscaler booking not found in namespace shop',
    });
    expect(missing.events).toEqual([
      expect.objectContaining({ type: 'Warning', reason: 'TargetNotFound' }),
    ]);
    // Reported once: the next reconcile with the HPA still missing adds no event.
    const again = plan(schedule({ status: missing.status }), null, wednesdayNoon);
    expect(again.events).toEqual([]);
    expect(again.status).toEqual(missing.status);
  });

  it('an HPA recorded as managed by another live schedule is left alone, and said so', () => {
    const p = plan(
      schedule(),
      hpa(5, 10, { managedBy: 'other', originals: bounds(1, 3) }),
      wednesdayNoon,
      'other',
    );
    expect(p.apply).toBeUndefined();
    expect(p.status.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'TargetClaimed',
      message:
        'HorizontalPodAutoscaler booking is managed by ScalingSchedule other; one schedule per HPA',
    });
  });

  it('takes over the record of a schedule that no longer manages the HPA, originals and all', () => {
    const p = plan(
      schedule(),
      hpa(7, 15, { managedBy: 'gone', originals: bounds(1, 3) }),
      wednesdayNoon,
    );
    expect(p.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(1, 3) });
    expect(p.events[0]?.note).toContain('took over from ScalingSchedule gone');
  });

  it('a new targetRef is adopted with ITS bounds, not the originals of the old target', () => {
    const s = adopted();
    const moved = schedule(
      { status: s.status },
      { targetRef: { kind: 'HorizontalPodAutoscaler', name: 'booking-v2' } },
    );
    const p = plan(moved, hpa(3, 9, { name: 'booking-v2' }), wednesdayNoon);
    expect(p.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(3, 9) });
    expect(p.status).toMatchObject({ target: 'booking-v2', originalBounds: bounds(3, 9) });
  });

  it('a pre-0.2 schedule: its finalizer goes, its recorded originals are kept', () => {
    const legacy = schedule({
      metadata: {
        name: 'booking',
        namespace: 'shop',
        generation: 1,
        finalizers: [LEGACY_FINALIZER, 'example.com/other'],
        annotations: { [ORIGINAL_BOUNDS_ANNOTATION]: '{"minReplicas":1,"maxReplicas":3}' },
      },
      // A pre-0.2 status names no target.
      status: { ...adopted().status, target: undefined },
    });
    const p = plan(legacy, hpa(5, 10), wednesdayNoon);
    expect(p.removeLegacyFinalizer).toBe(true);
    expect(p.apply).toEqual({ bounds: bounds(5, 10), originals: bounds(1, 3) });
  });

  it('release: an HPA with a record gets its originals back; one without is not touched', () => {
    expect(planRelease(managed(5, 10, bounds(1, 3)))).toEqual({ bounds: bounds(1, 3) });
    expect(planRelease(hpa(5, 10, { managedBy: 'booking' }))).toEqual({ bounds: null });
    expect(planRelease(hpa(5, 10))).toBeNull();
  });
});

describe('plan: sleep windows', () => {
  const night = {
    name: 'night',
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
    start: '20:00',
    end: '07:00',
    replicas: 0,
  };
  const sleepySpec = { windows: [...bookingWindows!, night] };
  const wednesdayLate = new Date('2026-06-10T20:30:00Z'); // 22:30 CEST, in the night window
  const thursdayMorning = new Date('2026-06-11T05:30:00Z'); // 07:30 CEST, default
  const deployment = { kind: 'Deployment', name: 'booking' };
  const target = (min: number, max: number) =>
    managed(min, max, bounds(1, 3), { scaleTarget: deployment });
  const asleep = (replicas = 0) => ({
    name: 'booking',
    replicas,
    sleep: { schedule: 'booking', replicas: 3, since: '2026-06-10T18:00:00.000Z' },
  });

  it('scales the Deployment to zero and leaves the HPA as it is (one Event for the transition)', () => {
    const before = schedule(
      {
        status: plan(
          adopted(sleepySpec),
          target(5, 10),
          new Date('2026-06-10T17:00:00Z'),
        ) /* 19:00 CEST */.status,
      },
      sleepySpec,
    );
    const p = plan(before, target(2, 4), wednesdayLate);
    expect(p.sleep).toEqual({ deployment: 'booking' });
    expect(p.apply).toBeUndefined();
    expect(p.wake).toBeUndefined();
    expect(p.status).toMatchObject({ activeWindow: 'night (sleep)', appliedBounds: bounds(2, 4) });
    expect(p.events).toEqual([
      expect.objectContaining({
        reason: 'Transition',
        note: 'default → night (sleep): min 2, max 4 → min 2, max 4; Deployment booking scaled to 0',
      }),
    ]);
  });

  it('once asleep, writes nothing; the status shows what the record holds', () => {
    const s = schedule(
      { status: plan(adopted(sleepySpec), target(2, 4), wednesdayLate).status },
      sleepySpec,
    );
    const p = plan(
      s,
      target(2, 4),
      new Date(wednesdayLate.getTime() + 60_000),
      undefined,
      asleep(),
    );
    expect(p.sleep).toBeUndefined();
    expect(p.apply).toBeUndefined();
    expect(p.status.sleep).toEqual({
      deployment: 'booking',
      replicasBefore: 3,
      since: '2026-06-10T18:00:00.000Z',
    });
  });

  it('a Deployment scaled up during the sleep is put back to zero, with a Warning', () => {
    const s = schedule(
      { status: plan(adopted(sleepySpec), target(2, 4), wednesdayLate).status },
      sleepySpec,
    );
    const p = plan(s, target(2, 4), wednesdayLate, undefined, asleep(2));
    expect(p.sleep).toEqual({ deployment: 'booking' });
    expect(p.events.map((e) => [e.type, e.reason])).toEqual([['Warning', 'Drifted']]);
  });

  it('wakes the Deployment with its recorded replicas when the window ends', () => {
    const s = schedule(
      { status: { ...plan(adopted(sleepySpec), target(2, 4), wednesdayLate).status } },
      sleepySpec,
    );
    const p = plan(s, target(2, 4), thursdayMorning, undefined, asleep());
    expect(p.wake).toEqual({ deployment: 'booking', replicas: 3 });
    expect(p.sleep).toBeUndefined();
    expect(p.status.sleep).toBeUndefined();
    expect(p.events.at(-1)!.note).toContain('Deployment booking woken: 3 replicas');
  });

  it('wakes it on suspend, and never wakes a Deployment another schedule put to sleep', () => {
    const s = schedule(
      { status: plan(adopted(sleepySpec), target(2, 4), wednesdayLate).status },
      {
        ...sleepySpec,
        suspend: true,
      },
    );
    expect(plan(s, target(2, 4), wednesdayLate, undefined, asleep()).wake).toEqual({
      deployment: 'booking',
      replicas: 3,
    });
    const other = { ...asleep(), sleep: { ...asleep().sleep, schedule: 'other' } };
    expect(plan(s, target(2, 4), wednesdayLate, undefined, other).wake).toBeUndefined();
  });

  it('refuses a sleep window for an HPA that scales something else than a Deployment', () => {
    const p = plan(
      schedule({}, sleepySpec),
      managed(2, 4, bounds(1, 3), { scaleTarget: { kind: 'StatefulSet', name: 'db' } }),
      wednesdayLate,
    );
    expect(p.sleep).toBeUndefined();
    expect(p.status.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'SleepUnsupported',
    });
  });
});

describe('plan: a ScalingCalendar named by spec.calendarRef', () => {
  const withRef = { calendarRef: { name: 'holidays' } };
  const calendar = (spec: unknown) => ({ name: 'holidays', spec });

  it('applies nothing while the calendar is missing, and says which', () => {
    const p = plan(schedule({}, withRef), hpa(1, 3), wednesdayNoon);
    expect(p.apply).toBeUndefined();
    expect(p.status.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'CalendarNotFound',
      message: 'ScalingCalendar holidays not found in namespace shop',
    });
  });

  it("a holiday is the default all day; an event overrides, the schedule's own override first", () => {
    const holiday = calendar({ holidays: [{ date: '2026-06-10', reason: 'strike' }] });
    const p = plan(schedule({}, withRef), hpa(1, 3), wednesdayNoon, undefined, null, holiday);
    expect(p.apply?.bounds).toEqual(bounds(2, 4));
    expect(p.status.activeWindow).toBe('default (excluded day)');

    const event = calendar({
      events: [
        {
          name: 'fair',
          from: '2026-06-10T08:00:00Z',
          until: '2026-06-10T12:00:00Z',
          minReplicas: 8,
          maxReplicas: 12,
        },
      ],
    });
    const q = plan(schedule({}, withRef), hpa(1, 3), wednesdayNoon, undefined, null, event);
    expect(q.apply?.bounds).toEqual(bounds(8, 12));
    expect(q.status).toMatchObject({
      activeWindow: 'override/holidays/fair',
      nextTransition: '2026-06-10T12:00:00.000Z',
    });
    const own = {
      ...withRef,
      overrides: [
        {
          name: 'own',
          from: '2026-06-10T09:00:00Z',
          until: '2026-06-10T11:00:00Z',
          minReplicas: 3,
          maxReplicas: 3,
        },
      ],
    };
    expect(
      plan(schedule({}, own), hpa(1, 3), wednesdayNoon, undefined, null, event).apply?.bounds,
    ).toEqual(bounds(3, 3));
  });

  it('a calendar that does not validate is reported with its field', () => {
    const p = plan(
      schedule({}, withRef),
      hpa(1, 3),
      wednesdayNoon,
      undefined,
      null,
      calendar({ holidays: [{ date: '10/06/2026' }] }),
    );
    expect(p.apply).toBeUndefined();
    expect(p.status.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      reason: 'InvalidCalendar',
      message: 'ScalingCalendar holidays: spec.holidays[0].date: expected a date YYYY-MM-DD',
    });
  });
});
