// Pure schedule evaluation: the bounds in force at an instant and the next instant they change.
// Precedence at an instant: an override covering it; else, on an excluded local date, the
// default; else the covering window of highest priority (list order breaks a tie); else the
// default. leadTime raises (never lowers) the bounds during the lead before a window opens.
import {
  DAYS,
  parseDurationMs,
  type Bounds,
  type ScalingScheduleSpec,
  type WindowSpec,
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
  /** The window whose leadTime raised the bounds, if any. */
  leadingInto?: string;
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
    base = winner
      ? {
          active: { kind: 'window', name: winner.window.name },
          minReplicas: winner.window.minReplicas,
          maxReplicas: winner.window.maxReplicas,
        }
      : { active: { kind: 'default', reason: 'no-window' }, ...spec.default };
  }
  // Lead: a window about to open (and not opening on an excluded day) lifts the bounds early.
  const leading = occurrences
    .filter(
      (o) =>
        o.leadStart <= at &&
        at < o.start &&
        !exclusions.some((day) => covers(day, o.start)) &&
        (o.window.minReplicas > base.minReplicas || o.window.maxReplicas > base.maxReplicas),
    )
    .sort((a, b) => a.start - b.start || b.window.priority - a.window.priority)[0];
  if (!leading) return base;
  return {
    ...base,
    minReplicas: Math.max(base.minReplicas, leading.window.minReplicas),
    maxReplicas: Math.max(base.maxReplicas, leading.window.maxReplicas),
    leadingInto: leading.window.name,
  };
}

export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return (
    a.minReplicas === b.minReplicas &&
    a.maxReplicas === b.maxReplicas &&
    a.leadingInto === b.leadingInto &&
    a.active.kind === b.active.kind &&
    ('name' in a.active ? a.active.name : a.active.reason) ===
      ('name' in b.active ? b.active.name : b.active.reason)
  );
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
  const current = evaluateAt(spec, occurrences, exclusions, at);

  let searchedUntil = at;
  for (const horizonDays of HORIZONS_DAYS) {
    occurrences = occurrencesFor(spec, firstDay, lookBackDays + horizonDays + 1);
    const horizon = at + horizonDays * MS.DAY;
    const candidates = [
      ...occurrences.flatMap((o) => [o.leadStart, o.start, o.end]),
      ...exclusions.flatMap((day) => [day.start, day.end]),
      ...spec.overrides.flatMap((o) => [Date.parse(o.from), Date.parse(o.until)]),
    ]
      .filter((t) => t > searchedUntil && t <= horizon)
      .sort((a, b) => a - b);
    for (const candidate of candidates) {
      if (!sameSnapshot(current, evaluateAt(spec, occurrences, exclusions, candidate))) {
        return { ...current, nextTransition: new Date(candidate) };
      }
    }
    searchedUntil = horizon;
  }
  return { ...current, nextTransition: null };
}

/** Short label of what is in force, as shown in status and `kubectl get`. */
export function describeSource(evaluation: Pick<Evaluation, 'active' | 'leadingInto'>): string {
  const { active } = evaluation;
  const label =
    active.kind === 'default'
      ? active.reason === 'exclusion'
        ? 'default (excluded day)'
        : 'default'
      : active.kind === 'override'
        ? `override/${active.name}`
        : active.name;
  return evaluation.leadingInto ? `${label} (lead: ${evaluation.leadingInto})` : label;
}

export { formatLocalDate };
