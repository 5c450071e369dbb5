// The ONE schema source of the ScalingSchedule resource. The zod schema validates in the
// controller and the CLI; src/crd.ts turns the same schema into the CRD's openAPIV3Schema.
// A cross-field rule is declared once with `rule()`: its CEL text (checked by the API server)
// sits beside its TypeScript twin (checked here), with one message for both.
import { z } from 'zod';
import { isKnownTimeZone } from './zoned-time.js';

export const API_GROUP = 'scaling.tourkit.dev';
export const API_VERSION = 'v1alpha1';
export const KIND = 'ScalingSchedule';
export const PLURAL = 'scalingschedules';

export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Day = (typeof DAYS)[number];

export const LIMITS = {
  windows: 16,
  exclusions: 64,
  overrides: 16,
  replicas: 10_000,
  rampSteps: 12,
  calendarHolidays: 366,
  calendarEvents: 64,
} as const;

export const CALENDAR_KIND = 'ScalingCalendar';
export const CALENDAR_PLURAL = 'scalingcalendars';

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const CLOCK_OR_MIDNIGHT_END = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
// RFC 3339 with seconds and an explicit offset: what CEL's timestamp() accepts.
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const DURATION = /^([0-9]+h)?([0-9]+m)?([0-9]+s)?$/;
// CEL cannot read the tz database: the format is checked here, the zone itself by isKnownTimeZone.
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface CelRule<T> {
  cel: string;
  message: string;
  holds: (value: T) => boolean;
  /** Field (relative) that the message points at. */
  fieldPath?: string;
}

function rule<S extends z.ZodType>(schema: S, rules: CelRule<z.output<S>>[]): S {
  return schema
    .superRefine((value, ctx) => {
      for (const r of rules) {
        if (!r.holds(value)) {
          ctx.addIssue({
            code: 'custom',
            message: r.message,
            path: r.fieldPath ? r.fieldPath.replace(/^\./, '').split('.') : [],
          });
        }
      }
    })
    .meta({
      'x-kubernetes-validations': rules.map((r) => ({
        rule: r.cel,
        message: r.message,
        ...(r.fieldPath ? { fieldPath: r.fieldPath } : {}),
      })),
    }) as S;
}

// Unquoted 09:00 is a number (540) for YAML 1.1 readers such as kubectl: say so.
const clockString = () =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'required' : 'expected HH:MM as a quoted string, e.g. "09:00"',
    })
    .max(5);

const replicas = z
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(LIMITS.replicas, `must be at most ${LIMITS.replicas}`);

const minNotAboveMax: CelRule<{ minReplicas: number; maxReplicas: number }> = {
  cel: 'self.minReplicas <= self.maxReplicas',
  message: 'minReplicas must be less than or equal to maxReplicas',
  holds: (b) => b.minReplicas <= b.maxReplicas,
  fieldPath: '.minReplicas',
};

export const boundsSchema = rule(
  z.object({ minReplicas: replicas, maxReplicas: replicas }).strict(),
  [minNotAboveMax],
);

export const windowSchema = rule(
  z
    .object({
      name: z.string().max(63).regex(NAME, 'expected a DNS label (lower case, digits, -)'),
      days: z
        .array(z.enum(DAYS, { message: `expected one of ${DAYS.join(', ')}` }))
        .min(1, 'needs at least one day')
        .max(7)
        .meta({ 'x-kubernetes-list-type': 'set' }),
      start: clockString().regex(CLOCK, 'expected HH:MM'),
      end: clockString().regex(CLOCK_OR_MIDNIGHT_END, 'expected HH:MM (or 24:00)'),
      minReplicas: replicas.optional(),
      maxReplicas: replicas.optional(),
      // A sleep window: the HPA's target Deployment is scaled to zero for its length and given
      // its replicas back after. 0 is the only value: a fixed replica count is what min = max does.
      replicas: z
        .number()
        .int()
        .min(0, 'must be 0 (a sleep window)')
        .max(0, 'must be 0 (a sleep window); for a fixed count set minReplicas = maxReplicas')
        .optional(),
      priority: z.number().int().min(0).max(1000).default(0),
    })
    .strict(),
  [
    {
      cel: 'has(self.replicas) ? !has(self.minReplicas) && !has(self.maxReplicas) : has(self.minReplicas) && has(self.maxReplicas)',
      message:
        'a window sets either minReplicas and maxReplicas, or replicas: 0 (a sleep window), not both',
      holds: (w) =>
        w.replicas !== undefined
          ? w.minReplicas === undefined && w.maxReplicas === undefined
          : w.minReplicas !== undefined && w.maxReplicas !== undefined,
      fieldPath: '.minReplicas',
    },
    {
      cel: '!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas',
      message: minNotAboveMax.message,
      holds: (w) =>
        w.minReplicas === undefined ||
        w.maxReplicas === undefined ||
        w.minReplicas <= w.maxReplicas,
      fieldPath: '.minReplicas',
    },
    {
      cel: 'self.start != self.end',
      message: 'start and end must differ (an end before the start crosses midnight)',
      holds: (w) => w.start !== w.end,
      fieldPath: '.end',
    },
  ],
);

const DAY_INDEX_CEL = `{${DAYS.map((d, i) => `'${d}': ${i}`).join(', ')}}`;
const minutesCel = (clock: string) =>
  `(int(${clock}.substring(0, 2)) * 60 + int(${clock}.substring(3, 5)))`;
// Length in minutes of a window, crossing midnight when end <= start.
const lengthCel = (w: string) =>
  `((${minutesCel(`${w}.end`)} - ${minutesCel(`${w}.start`)} + 1440) % 1440 == 0 ? 1440 : (${minutesCel(`${w}.end`)} - ${minutesCel(`${w}.start`)} + 1440) % 1440)`;
const weekMinuteCel = (w: string, d: string) =>
  `(${DAY_INDEX_CEL}[${d}] * 1440 + ${minutesCel(`${w}.start`)})`;
// Two intervals on the weekly circle [x, x+len) overlap iff one starts inside the other.
const windowsOverlapCel = `a.days.exists(da, b.days.exists(db, (${weekMinuteCel('b', 'db')} - ${weekMinuteCel('a', 'da')} + 10080) % 10080 < ${lengthCel('a')} || (${weekMinuteCel('a', 'da')} - ${weekMinuteCel('b', 'db')} + 10080) % 10080 < ${lengthCel('b')}))`;

export type WindowSpec = z.output<typeof windowSchema>;

/** A window's bounds; null for a sleep window (`replicas: 0`). */
export function windowBounds(w: WindowSpec): Bounds | null {
  if (w.replicas === 0 || w.minReplicas === undefined || w.maxReplicas === undefined) return null;
  return { minReplicas: w.minReplicas, maxReplicas: w.maxReplicas };
}

function clockMinutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function windowLengthMinutes(w: Pick<WindowSpec, 'start' | 'end'>): number {
  const length = (clockMinutes(w.end) - clockMinutes(w.start) + 1440) % 1440;
  return length === 0 ? 1440 : length;
}

/** Do two windows share a minute of the (wall-clock) week? */
function windowsOverlap(a: WindowSpec, b: WindowSpec): boolean {
  const week = 7 * 1440;
  return a.days.some((da) =>
    b.days.some((db) => {
      const x = DAYS.indexOf(da) * 1440 + clockMinutes(a.start);
      const y = DAYS.indexOf(db) * 1440 + clockMinutes(b.start);
      return (
        (y - x + week) % week < windowLengthMinutes(a) ||
        (x - y + week) % week < windowLengthMinutes(b)
      );
    }),
  );
}

const overrideSchema = rule(
  z
    .object({
      name: z.string().max(63).regex(NAME, 'expected a DNS label (lower case, digits, -)'),
      from: z
        .string()
        .max(40)
        .regex(
          TIMESTAMP,
          'expected an RFC 3339 timestamp with offset, e.g. 2026-11-27T08:00:00+01:00',
        ),
      until: z
        .string()
        .max(40)
        .regex(
          TIMESTAMP,
          'expected an RFC 3339 timestamp with offset, e.g. 2026-11-30T00:00:00+01:00',
        ),
      minReplicas: replicas,
      maxReplicas: replicas,
    })
    .strict(),
  [
    minNotAboveMax,
    {
      cel: 'timestamp(self.until) > timestamp(self.from)',
      message: 'until must be after from',
      holds: (o) => Date.parse(o.until) > Date.parse(o.from),
      fieldPath: '.until',
    },
  ],
);

export type OverrideSpec = z.output<typeof overrideSchema>;

const exclusionSchema = z
  .object({
    date: z.string().max(10).regex(DATE, 'expected a date YYYY-MM-DD'),
    reason: z.string().max(200).optional(),
  })
  .strict();

export type ExclusionSpec = z.output<typeof exclusionSchema>;

const dateList = (max: number) =>
  z
    .array(exclusionSchema)
    .max(max)
    .default([])
    .meta({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['date'],
    });

/** Dated bounds (a schedule's overrides, a calendar's events): named, never overlapping. */
function overrideList(max: number, message: string) {
  return rule(
    z
      .array(overrideSchema)
      .max(max)
      .default([])
      .meta({
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    [
      {
        cel: 'self.all(a, self.all(b, a.name == b.name || timestamp(a.until) <= timestamp(b.from) || timestamp(b.until) <= timestamp(a.from)))',
        message,
        holds: (overrides) =>
          overrides.every((a) =>
            overrides.every(
              (b) =>
                a.name === b.name ||
                Date.parse(a.until) <= Date.parse(b.from) ||
                Date.parse(b.until) <= Date.parse(a.from),
            ),
          ),
      },
    ],
  );
}

/**
 * A ScalingCalendar: dated events and holidays that many schedules of its namespace share
 * (`spec.calendarRef`). A holiday is an exclusion of each of them (the day at the schedule's
 * default bounds, in the schedule's time zone); an event is an override (the schedule's own
 * overrides win where both cover an instant).
 */
export const calendarSpecSchema = z
  .object({
    holidays: dateList(LIMITS.calendarHolidays),
    events: overrideList(LIMITS.calendarEvents, 'two events overlap in time'),
  })
  .strict();

export type ScalingCalendarSpec = z.output<typeof calendarSpecSchema>;

export const specSchema = rule(
  z
    .object({
      targetRef: z
        .object({
          apiVersion: z.literal('autoscaling/v2').default('autoscaling/v2'),
          kind: z.literal('HorizontalPodAutoscaler', {
            message: 'expected HorizontalPodAutoscaler',
          }),
          name: z.string().min(1).max(253),
        })
        .strict(),
      timeZone: z
        .string()
        .max(64)
        .regex(TIME_ZONE, 'expected an IANA time zone name, e.g. Europe/Paris')
        .refine(isKnownTimeZone, 'unknown time zone (not in the IANA tz database)'),
      default: boundsSchema,
      windows: rule(
        z
          .array(windowSchema)
          .max(LIMITS.windows)
          .default([])
          .meta({
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
          }),
        [
          {
            cel: `self.all(a, self.all(b, a.name == b.name || a.priority != b.priority || !(${windowsOverlapCel})))`,
            message: 'two windows of equal priority overlap; give one a higher priority',
            holds: (windows) =>
              windows.every((a) =>
                windows.every(
                  (b) => a.name === b.name || a.priority !== b.priority || !windowsOverlap(a, b),
                ),
              ),
          },
        ],
      ),
      exclusions: dateList(LIMITS.exclusions),
      overrides: overrideList(LIMITS.overrides, 'two overrides overlap in time'),
      calendarRef: z
        .object({
          name: z
            .string()
            .max(253)
            .regex(NAME, 'expected the name of a ScalingCalendar in this namespace'),
        })
        .strict()
        .optional(),
      leadTime: z
        .string()
        .max(16)
        .regex(DURATION, 'expected a duration such as 5m, 1h30m or 90s')
        .default('0s'),
      ramp: rule(
        z
          .object({
            duration: z
              .string()
              .max(16)
              .regex(DURATION, 'expected a duration such as 30m, 1h or 90s'),
            steps: z
              .number()
              .int()
              .min(2, 'must be at least 2')
              .max(LIMITS.rampSteps, `must be at most ${LIMITS.rampSteps}`),
          })
          .strict(),
        [
          {
            cel: "self.duration != '' && (!self.duration.matches('^([0-9]+h)?([0-9]+m)?([0-9]+s)?$') || (duration(self.duration) >= duration('1m') && duration(self.duration) <= duration('6h')))",
            message: 'ramp.duration must be from 1m to 6h',
            holds: (r) => {
              const ms = parseDurationMs(r.duration);
              return (
                r.duration !== '' && (Number.isNaN(ms) || (ms >= 60_000 && ms <= 6 * 3_600_000))
              );
            },
            fieldPath: '.duration',
          },
        ],
      ).optional(),
      suspend: z.boolean().default(false),
      dryRun: z.boolean().default(false),
    })
    .strict(),
  [
    {
      cel: "!has(self.leadTime) || self.leadTime == '' || !self.leadTime.matches('^([0-9]+h)?([0-9]+m)?([0-9]+s)?$') || duration(self.leadTime) <= duration('24h')",
      message: 'leadTime must be at most 24h',
      holds: (spec) => !(parseDurationMs(spec.leadTime) > 24 * 3_600_000),
      fieldPath: '.leadTime',
    },
  ],
);

export type ScalingScheduleSpec = z.output<typeof specSchema>;
export type ScalingScheduleSpecInput = z.input<typeof specSchema>;
export type Bounds = z.output<typeof boundsSchema>;

export function parseDurationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match) return Number.NaN;
  const [, h, m, s] = match;
  return ((parseInt(h ?? '0') * 60 + parseInt(m ?? '0')) * 60 + parseInt(s ?? '0')) * 1000;
}

const conditionSchema = z.object({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int().optional(),
});

export const statusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  /** The HPA this status describes (originalBounds are its bounds). */
  target: z.string().optional(),
  /** Its uid: an HPA deleted and created again under the same name is another HPA. */
  targetUID: z.string().optional(),
  activeWindow: z.string().optional(),
  activeSource: z.enum(['window', 'override', 'default', 'suspended']).optional(),
  appliedBounds: boundsSchema.optional(),
  desiredBounds: boundsSchema.optional(),
  originalBounds: z
    .object({ minReplicas: z.number().int().optional(), maxReplicas: z.number().int() })
    .optional(),
  nextTransition: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  /** A sleep window is in force: the Deployment scaled to zero, and the replicas it gets back. */
  sleep: z
    .object({
      deployment: z.string(),
      replicasBefore: z.number().int(),
      since: z.string(),
    })
    .optional(),
  conditions: z
    .array(conditionSchema)
    .max(8)
    .optional()
    .meta({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    }),
});

export type ScalingScheduleStatus = z.output<typeof statusSchema>;
export type Condition = z.output<typeof conditionSchema>;
