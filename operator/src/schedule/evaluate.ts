// Pure schedule evaluation: the bounds in force at an instant and the next instant they change.
// Precedence at an instant: an override covering it; else, on an excluded local date, the
// default; else the covering window of highest priority (list order breaks a tie); else the
// default. leadTime raises (never lowers) the bounds during the lead before a window opens.
import {
  DAYS,
  parseDurationMs,
  type Bounds,
  type ScalingCalendarSpec,
  type ScalingScheduleSpec,
  type WindowSpec,
  windowBounds,
} from './schema.js';
import {
  addDays,
  formatLocalDate,
  instantOfClock,
  isoWeekdayIndex,
  MS,
  parseLocalDate,
  toLocal,
  type LocalDate,
} from './zoned-time.js';

export type ActiveSource =
  | { kind: 'override'; name: string }
  | { kind: 'window'; name: string }
  | { kind: 'default'; reason: 'no-window' | 'exclusion' };

export interface Evaluation extends Bounds {
  active: ActiveSource;
  /**
   * A sleep window (`replicas: 0`) is in force: the target Deployment goes to zero. Its bounds
   * are then 0 (the preview's replica-hours); the HPA itself is left as it is.
   */
  sleep?: boolean;
  /** The window whose leadTime raised the bounds, if any. */
  leadingInto?: string;
  /** Mid-ramp: step `step` of `of` on the way to `target` (spec.ramp). */
  ramp?: { step: number; of: number; target: Bounds };
  /** When the evaluation next changes; null when it never does (no windows or overrides ahead). */
  nextTransition: Date | null;
}

interface Occurrence {
  window: WindowSpec;
  order: number;
  start: number;
  end: number;
  leadStart: number;
}

interface Interval {
  start: number;
  end: number;
}

const HORIZONS_DAYS = [9, 35, 400];

function occurrencesFor(spec: ScalingScheduleSpec, from: LocalDate, days: number): Occurrence[] {
  const lead = parseDurationMs(spec.leadTime);
  const occurrences: Occurrence[] = [];
  for (let offset = 0; offset < days; offset++) {
    const date = addDays(from, offset);
    const weekday = DAYS[isoWeekdayIndex(date)]!;
    spec.windows.forEach((window, order) => {
      if (!window.days.includes(weekday)) return;
      const start = instantOfClock(date, window.start, spec.timeZone);
      const endDate = window.end <= window.start ? addDays(date, 1) : date;
      const end = instantOfClock(endDate, window.end, spec.timeZone);
      // A window that lies wholly in a skipped hour never happens.
      if (end > start) occurrences.push({ window, order, start, end, leadStart: start - lead });
    });
  }
  return occurrences;
}

function excludedDays(spec: ScalingScheduleSpec): Interval[] {
  return spec.exclusions.map(({ date }) => {
    const local = parseLocalDate(date);
    return {
      start: instantOfClock(local, '00:00', spec.timeZone),
      end: instantOfClock(local, '24:00', spec.timeZone),
    };
  });
}

const covers = (interval: Interval, at: number) => interval.start <= at && at < interval.end;

type Snapshot = Omit<Evaluation, 'nextTransition'>;

function evaluateAt(
  spec: ScalingScheduleSpec,
  occurrences: Occurrence[],
  exclusions: Interval[],
  at: number,
): Snapshot {
  const override = spec.overrides.find((o) =>
    covers({ start: Date.parse(o.from), end: Date.parse(o.until) }, at),
  );
  if (override) {
    const { minReplicas, maxReplicas, name } = override;
    return { active: { kind: 'override', name }, minReplicas, maxReplicas };
  }
  const excluded = exclusions.some((day) => covers(day, at));
  let base: Snapshot;
  if (excluded) {
    base = { active: { kind: 'default', reason: 'exclusion' }, ...spec.default };
  } else {
    const winner = occurrences
      .filter((o) => covers(o, at))
      .sort((a, b) => b.window.priority - a.window.priority || a.order - b.order)[0];
    const bounds = winner && windowBounds(winner.window);
    base = !winner
      ? { active: { kind: 'default', reason: 'no-window' }, ...spec.default }
      : bounds
        ? { active: { kind: 'window', name: winner.window.name }, ...bounds }
        : {
            active: { kind: 'window', name: winner.window.name },
            minReplicas: 0,
            maxReplicas: 0,
            sleep: true,
          };
  }
  // Lead: a window about to open (and not opening on an excluded day) lifts the bounds early,
  // and so wakes a sleeping Deployment early. A sleep window has no lead: it starts on time.
  const leading = occurrences
    .map((o) => ({ o, bounds: windowBounds(o.window) }))
    .filter(
      ({ o, bounds }) =>
        bounds &&
        o.leadStart <= at &&
        at < o.start &&
        !exclusions.some((day) => covers(day, o.start)) &&
        (bounds.minReplicas > base.minReplicas || bounds.maxReplicas > base.maxReplicas),
    )
    .sort((a, b) => a.o.start - b.o.start || b.o.window.priority - a.o.window.priority)[0];
  if (!leading) return base;
  const { sleep: _asleep, ...awake } = base;
  return {
    ...awake,
    minReplicas: Math.max(base.minReplicas, leading.bounds!.minReplicas),
    maxReplicas: Math.max(base.maxReplicas, leading.bounds!.maxReplicas),
    leadingInto: leading.o.window.name,
  };
}

export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return (
    a.minReplicas === b.minReplicas &&
    a.maxReplicas === b.maxReplicas &&
    a.leadingInto === b.leadingInto &&
    !a.sleep === !b.sleep &&
    a.active.kind === b.active.kind &&
    ('name' in a.active ? a.active.name : a.active.reason) ===
      ('name' in b.active ? b.active.name : b.active.reason)
  );
}

/** Instants at which the un-ramped evaluation may change. */
function changeCandidates(
  spec: ScalingScheduleSpec,
  occurrences: Occurrence[],
  exclusions: Interval[],
): number[] {
  return [
    ...occurrences.flatMap((o) => [o.leadStart, o.start, o.end]),
    ...exclusions.flatMap((day) => [day.start, day.end]),
    ...spec.overrides.flatMap((o) => [Date.parse(o.from), Date.parse(o.until)]),
  ];
}

const sameBoundsOf = (a: Bounds, b: Bounds) =>
  a.minReplicas === b.minReplicas && a.maxReplicas === b.maxReplicas;

/**
 * spec.ramp: after a change of bounds at instant c, from P to N, the bounds move in `steps` equal
 * steps `duration / steps` apart, the first at c, the last (N) at c + (steps − 1) × duration/steps.
 * Each step is rounded up (more capacity, never less: a ramp down lingers, a ramp up arrives
 * early), which keeps min ≤ max. P is the schedule's bounds before c; a change during a ramp starts
 * a new one from there. Returns the step in force at `at` and when the next visible step comes.
 */
function rampAt(
  spec: ScalingScheduleSpec,
  occurrences: Occurrence[],
  exclusions: Interval[],
  at: number,
  base: Snapshot,
): { snapshot: Snapshot; nextStep: number | null } {
  const ramp = spec.ramp;
  // Going to sleep is one step (the Deployment to zero); waking ramps up from zero.
  if (!ramp || base.sleep) return { snapshot: base, nextStep: null };
  const duration = parseDurationMs(ramp.duration);
  const change = changeCandidates(spec, occurrences, exclusions)
    .filter((t) => t > at - duration && t <= at)
    .sort((a, b) => b - a)
    .find(
      (t) =>
        !sameBoundsOf(
          evaluateAt(spec, occurrences, exclusions, t - 1),
          evaluateAt(spec, occurrences, exclusions, t),
        ),
    );
  if (change === undefined) return { snapshot: base, nextStep: null };
  const from = evaluateAt(spec, occurrences, exclusions, change - 1);
  const to = evaluateAt(spec, occurrences, exclusions, change);
  const interval = duration / ramp.steps;
  const stepAt = (k: number): Bounds => ({
    minReplicas: Math.ceil(
      from.minReplicas + ((to.minReplicas - from.minReplicas) * k) / ramp.steps - 1e-9,
    ),
    maxReplicas: Math.ceil(
      from.maxReplicas + ((to.maxReplicas - from.maxReplicas) * k) / ramp.steps - 1e-9,
    ),
  });
  const k = Math.min(ramp.steps, Math.floor((at - change) / interval) + 1);
  const bounds = stepAt(k);
  let nextStep: number | null = null;
  for (let j = k + 1; j <= ramp.steps; j++) {
    if (!sameBoundsOf(stepAt(j), bounds)) {
      nextStep = change + Math.ceil((j - 1) * interval);
      break;
    }
  }
  if (k >= ramp.steps || sameBoundsOf(bounds, base)) return { snapshot: base, nextStep };
  return {
    snapshot: {
      ...base,
      ...bounds,
      ramp: {
        step: k,
        of: ramp.steps,
        target: { minReplicas: base.minReplicas, maxReplicas: base.maxReplicas },
      },
    },
    nextStep,
  };
}

export function evaluate(spec: ScalingScheduleSpec, now: Date): Evaluation {
  const at = now.getTime();
  const exclusions = excludedDays(spec);
  // Local days, not 24-hour steps: a lead of a day reaches into the day after tomorrow when
  // tonight is a 23-hour spring-forward night, so the lead widens the window ahead as well as
  // behind (2 days each way cover an overnight window and a 25-hour day).
  const leadDays = Math.ceil(parseDurationMs(spec.leadTime) / MS.DAY);
  const lookBackDays = 2 + leadDays;
  const firstDay = addDays(toLocal(at, spec.timeZone), -lookBackDays);
  let occurrences = occurrencesFor(spec, firstDay, lookBackDays + 2 + leadDays);
  const unramped = evaluateAt(spec, occurrences, exclusions, at);
  const ramped = rampAt(spec, occurrences, exclusions, at, unramped);
  const current = ramped.snapshot;
  const withRampStep = (next: Date | null): Date | null =>
    ramped.nextStep !== null && (next === null || ramped.nextStep < next.getTime())
      ? new Date(ramped.nextStep)
      : next;

  let searchedUntil = at;
  for (const horizonDays of HORIZONS_DAYS) {
    occurrences = occurrencesFor(spec, firstDay, lookBackDays + horizonDays + 1);
    const horizon = at + horizonDays * MS.DAY;
    const candidates = changeCandidates(spec, occurrences, exclusions)
      .filter((t) => t > searchedUntil && t <= horizon)
      .sort((a, b) => a - b);
    for (const candidate of candidates) {
      if (!sameSnapshot(unramped, evaluateAt(spec, occurrences, exclusions, candidate))) {
        return { ...current, nextTransition: withRampStep(new Date(candidate)) };
      }
    }
    searchedUntil = horizon;
  }
  return { ...current, nextTransition: withRampStep(null) };
}

/**
 * The schedule with a calendar folded in: its holidays are exclusions (a date the schedule
 * excludes already keeps its own reason), its events overrides named `<calendar>/<event>`, after
 * the schedule's own (which win where both cover an instant: the first covering override rules).
 */
export function withCalendar(
  spec: ScalingScheduleSpec,
  calendar: { name: string; spec: ScalingCalendarSpec },
): ScalingScheduleSpec {
  const own = new Set(spec.exclusions.map((e) => e.date));
  return {
    ...spec,
    exclusions: [...spec.exclusions, ...calendar.spec.holidays.filter((h) => !own.has(h.date))],
    overrides: [
      ...spec.overrides,
      ...calendar.spec.events.map((e) => ({ ...e, name: `${calendar.name}/${e.name}` })),
    ],
  };
}

/** Short label of what is in force, as shown in status and `kubectl get`. */
export function describeSource(
  evaluation: Pick<Evaluation, 'active' | 'leadingInto' | 'ramp' | 'sleep'>,
): string {
  const { active } = evaluation;
  const label =
    active.kind === 'default'
      ? active.reason === 'exclusion'
        ? 'default (excluded day)'
        : 'default'
      : active.kind === 'override'
        ? `override/${active.name}`
        : active.name;
  const lead = evaluation.leadingInto ? ` (lead: ${evaluation.leadingInto})` : '';
  const sleep = evaluation.sleep ? ' (sleep)' : '';
  const ramp = evaluation.ramp ? ` (ramp ${evaluation.ramp.step}/${evaluation.ramp.of})` : '';
  return `${label}${sleep}${lead}${ramp}`;
}

export { formatLocalDate };
