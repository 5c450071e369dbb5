import { plan, planDeletion } from '../../src/controller/plan.js';
import {
  FINALIZER,
  ORIGINAL_BOUNDS_ANNOTATION,
  type HpaView,
  type ScheduleObject,
} from '../../src/controller/resource.js';
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
const hpa = (minReplicas: number, maxReplicas: number, foreignOwners: string[] = []): HpaView => ({
  bounds: { minReplicas, maxReplicas },
  foreignOwners,
});
const adopted = (extra: Partial<ScheduleObject> = {}, spec: Record<string, unknown> = {}) => {
  const first = plan(schedule({}, spec), hpa(1, 3), wednesdayNoon);
  return schedule(
    {
      metadata: {
        name: 'booking',
        namespace: 'shop',
        generation: 1,
        uid: 'u1',
        finalizers: first.metadata!.finalizers,
        annotations: first.metadata!.annotations,
      },
      status: first.status,
      ...extra,
    },
    spec,
  );
};

describe('plan', () => {
  it('adopts: records the original bounds with the finalizer, then applies the window', () => {
    const p = plan(schedule(), hpa(1, 3), wednesdayNoon);
    expect(p.metadata).toEqual({
      finalizers: [FINALIZER],
      annotations: { [ORIGINAL_BOUNDS_ANNOTATION]: '{"minReplicas":1,"maxReplicas":3}' },
    });
    expect(p.applyBounds).toEqual({ minReplicas: 5, maxReplicas: 10 });
    expect(p.status).toMatchObject({
      activeWindow: 'business-hours',
      appliedBounds: { minReplicas: 5, maxReplicas: 10 },
      originalBounds: { minReplicas: 1, maxReplicas: 3 },
      nextTransition: '2026-06-10T15:00:00.000Z',
      observedGeneration: 1,
    });
    expect(p.events.map((e) => e.reason)).toEqual(['Adopted', 'Scheduled']);
  });

  it('does nothing when the HPA and the status already agree (no-op reconcile)', () => {
    const s = adopted();
    const p = plan(s, hpa(5, 10), new Date(wednesdayNoon.getTime() + 60_000));
    expect(p.metadata).toBeUndefined();
    expect(p.applyBounds).toBeUndefined();
    expect(p.events).toEqual([]);
    expect(p.status).toEqual(s.status);
  });

  it('crossing a boundary applies the new bounds, emits a Transition and measures the lag', () => {
    const p = plan(adopted(), hpa(5, 10), new Date('2026-06-10T15:00:02Z'));
    expect(p.applyBounds).toEqual({ minReplicas: 2, maxReplicas: 4 });
    expect(p.events).toEqual([
      expect.objectContaining({
        reason: 'Transition',
        note: 'business-hours → default: min 5, max 10 → min 2, max 4',
      }),
    ]);
    expect(p.transitionDueAt?.toISOString()).toBe('2026-06-10T15:00:00.000Z');
  });

  it('a foreign edit is reported as Drifted (naming the manager) and corrected', () => {
    const p = plan(adopted(), hpa(3, 10, ['kubectl-edit']), wednesdayNoon);
    expect(p.applyBounds).toEqual({ minReplicas: 5, maxReplicas: 10 });
    expect(p.driftCorrected).toBe(true);
    const drifted = p.status.conditions!.find((c) => c.type === 'Drifted')!;
    expect(drifted).toMatchObject({ status: 'True', reason: 'ForeignEdit' });
    expect(drifted.message).toContain('kubectl-edit set min 3, max 10');
    expect(p.events.map((e) => e.reason)).toEqual(['Drifted']);
  });

  it('suspend restores the original bounds once, then leaves the HPA alone', () => {
    const s = adopted();
    const suspended = schedule({ metadata: s.metadata, status: s.status }, { suspend: true });
    const p = plan(suspended, hpa(5, 10), wednesdayNoon);
    expect(p.restoreBounds).toEqual({ minReplicas: 1, maxReplicas: 3 });
    expect(p.requeueAt).toBeNull();
    const later = plan(
      schedule({ metadata: s.metadata, status: p.status }, { suspend: true }),
      hpa(2, 2),
      wednesdayNight,
    );
    expect(later.restoreBounds).toBeUndefined();
    expect(later.applyBounds).toBeUndefined();
  });

  it('dryRun computes and reports, never applies', () => {
    const p = plan(schedule({}, { dryRun: true }), hpa(1, 3), wednesdayNoon);
    expect(p.applyBounds).toBeUndefined();
    expect(p.status).toMatchObject({
      activeWindow: 'dry-run: business-hours',
      desiredBounds: { minReplicas: 5, maxReplicas: 10 },
    });
    expect(p.status.appliedBounds).toBeUndefined();
  });

  it('an unknown zone or a missing HPA is Degraded, with no HPA write', () => {
    const bad = plan(schedule({}, { timeZone: 'Europe/Atlantis' }), hpa(1, 3), wednesdayNoon);
    expect(bad.applyBounds).toBeUndefined();
    expect(bad.status.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'InvalidSpec',
    });
    const missing = plan(schedule(), null, wednesdayNoon);
    expect(missing.status.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'TargetNotFound',
    });
  });

  it('deletion restores the original bounds and removes the finalizer', () => {
    const s = adopted({}, {});
    expect(planDeletion(s, hpa(5, 10))).toEqual({
      restoreBounds: { minReplicas: 1, maxReplicas: 3 },
      removeFinalizer: true,
    });
    expect(planDeletion(s, null)).toEqual({ removeFinalizer: true });
  });
});
