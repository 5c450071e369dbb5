import {
  validateCalendarSpec,
  validateResource,
  validateSpec,
} from '../../src/schedule/validate.js';
import { bookingWindows } from './fixtures.js';

const base = {
  targetRef: { kind: 'HorizontalPodAutoscaler', name: 'booking' },
  timeZone: 'Europe/Paris',
  default: { minReplicas: 2, maxReplicas: 4 },
};
const fields = (input: unknown) => {
  const result = validateSpec(input);
  return result.ok ? [] : result.errors.map((e) => `${e.field}: ${e.message}`);
};

describe('validateSpec', () => {
  it('accepts the booking schedule and fills defaults', () => {
    const result = validateSpec({ ...base, windows: bookingWindows });
    expect(result.ok && result.value).toMatchObject({
      leadTime: '0s',
      suspend: false,
      dryRun: false,
      exclusions: [],
      overrides: [],
    });
  });

  it('names the field of a bad clock, day, bounds and zone', () => {
    const errors = fields({
      ...base,
      timeZone: 'Europe/Atlantis',
      default: { minReplicas: 0, maxReplicas: 4 },
      windows: [
        bookingWindows![0],
        { ...bookingWindows![1], days: ['Sat', 'Dimanche'], start: '9h' },
      ],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'spec.timeZone: unknown time zone (not in the IANA tz database)',
        'spec.default.minReplicas: must be at least 1',
        'spec.windows[1].days[1]: expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun',
        'spec.windows[1].start: expected HH:MM',
      ]),
    );
  });

  it('rejects min > max, empty windows and 24:00 as a start', () => {
    expect(fields({ ...base, default: { minReplicas: 5, maxReplicas: 4 } })).toEqual([
      'spec.default.minReplicas: minReplicas must be less than or equal to maxReplicas',
    ]);
    const w = { name: 'w', days: ['Mon'], minReplicas: 1, maxReplicas: 2 };
    expect(fields({ ...base, windows: [{ ...w, start: '10:00', end: '10:00' }] })).toEqual([
      'spec.windows[0].end: start and end must differ (an end before the start crosses midnight)',
    ]);
    expect(fields({ ...base, windows: [{ ...w, start: '24:00', end: '10:00' }] })).toEqual([
      'spec.windows[0].start: expected HH:MM',
    ]);
  });

  it('rejects overlapping windows of equal priority, across midnight and the week end', () => {
    const w = (name: string, days: string[], start: string, end: string, priority = 0) => ({
      name,
      days,
      start,
      end,
      minReplicas: 1,
      maxReplicas: 2,
      priority,
    });
    const overlap =
      'spec.windows: two windows of equal priority overlap; give one a higher priority';
    expect(
      fields({
        ...base,
        windows: [w('a', ['Sun'], '22:00', '02:00'), w('b', ['Mon'], '01:00', '03:00')],
      }),
    ).toEqual([overlap]);
    expect(
      fields({
        ...base,
        windows: [w('a', ['Sun'], '22:00', '02:00'), w('b', ['Mon'], '02:00', '03:00')],
      }),
    ).toEqual([]);
    expect(
      fields({
        ...base,
        windows: [w('a', ['Mon'], '09:00', '17:00'), w('b', ['Mon'], '12:00', '13:00', 1)],
      }),
    ).toEqual([]);
    expect(
      fields({
        ...base,
        windows: [w('a', ['Mon'], '00:00', '24:00'), w('b', ['Mon'], '23:59', '24:00')],
      }),
    ).toEqual([overlap]);
  });

  it('rejects overlapping overrides and until before from', () => {
    const o = (name: string, from: string, until: string) => ({
      name,
      from,
      until,
      minReplicas: 3,
      maxReplicas: 6,
    });
    expect(
      fields({
        ...base,
        overrides: [
          o('a', '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z'),
          o('b', '2026-11-27T12:00:00Z', '2026-11-29T00:00:00Z'),
        ],
      }),
    ).toEqual(['spec.overrides: two overrides overlap in time']);
    expect(
      fields({ ...base, overrides: [o('a', '2026-11-28T00:00:00Z', '2026-11-27T00:00:00Z')] }),
    ).toEqual(['spec.overrides[0].until: until must be after from']);
  });

  it('rejects a ramp that is too long, too short, or of fewer than 2 steps', () => {
    expect(fields({ ...base, ramp: { duration: '30m', steps: 3 } })).toEqual([]);
    expect(fields({ ...base, ramp: { duration: '7h', steps: 3 } })).toEqual([
      'spec.ramp.duration: ramp.duration must be from 1m to 6h',
    ]);
    expect(fields({ ...base, ramp: { duration: '', steps: 3 } })).toEqual([
      'spec.ramp.duration: ramp.duration must be from 1m to 6h',
    ]);
    expect(fields({ ...base, ramp: { duration: 'half an hour', steps: 3 } })).toEqual([
      'spec.ramp.duration: expected a duration such as 30m, 1h or 90s',
    ]);
    expect(fields({ ...base, ramp: { duration: '30m', steps: 1 } })).toEqual([
      'spec.ramp.steps: must be at least 2',
    ]);
  });

  it('rejects a lead time above 24h or badly written, and unknown fields', () => {
    expect(fields({ ...base, leadTime: '25h' })).toEqual([
      'spec.leadTime: leadTime must be at most 24h',
    ]);
    expect(fields({ ...base, leadTime: '5 minutes' })).toEqual([
      'spec.leadTime: expected a duration such as 5m, 1h30m or 90s',
    ]);
    expect(fields({ ...base, maxReplica: 3 })).toEqual(['spec: unknown field(s): maxReplica']);
  });
});

describe('validateResource', () => {
  it('checks apiVersion, kind and name of a manifest', () => {
    const result = validateResource({
      apiVersion: 'v1',
      kind: 'Scaling',
      metadata: {},
      spec: base,
    });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'apiVersion',
      'kind',
      'metadata.name',
    ]);
  });
});

describe('YAML 1.1 pitfalls', () => {
  it('explains that an unquoted clock became a number', () => {
    const result = validateSpec({
      ...base,
      windows: [
        { name: 'w', days: ['Mon'], start: 540, end: '17:00', minReplicas: 1, maxReplicas: 2 },
      ],
    });
    expect(result.ok ? [] : result.errors).toEqual([
      {
        field: 'spec.windows[0].start',
        message: 'expected HH:MM as a quoted string, e.g. "09:00"',
      },
    ]);
  });
});

describe('sleep windows (replicas: 0)', () => {
  const night = { name: 'night', days: ['Mon'], start: '22:00', end: '06:00' };

  it('accepts replicas: 0 without bounds', () => {
    expect(fields({ ...base, windows: [{ ...night, replicas: 0 }] })).toEqual([]);
  });

  it('refuses a window with both, with neither, and a replicas other than 0', () => {
    expect(
      fields({ ...base, windows: [{ ...night, replicas: 0, minReplicas: 1, maxReplicas: 2 }] }),
    ).toEqual([
      'spec.windows[0].minReplicas: a window sets either minReplicas and maxReplicas, or replicas: 0 (a sleep window), not both',
    ]);
    expect(fields({ ...base, windows: [night] })).toEqual([
      'spec.windows[0].minReplicas: a window sets either minReplicas and maxReplicas, or replicas: 0 (a sleep window), not both',
    ]);
    expect(fields({ ...base, windows: [{ ...night, replicas: 2 }] })).toEqual([
      'spec.windows[0].replicas: must be 0 (a sleep window); for a fixed count set minReplicas = maxReplicas',
    ]);
  });
});

describe('validateCalendarSpec', () => {
  it('accepts holidays and events, and refuses overlapping events and bad dates by field', () => {
    expect(
      validateCalendarSpec({
        holidays: [{ date: '2026-12-25', reason: 'Christmas' }],
        events: [
          {
            name: 'black-friday',
            from: '2026-11-27T00:00:00+01:00',
            until: '2026-11-30T00:00:00+01:00',
            minReplicas: 10,
            maxReplicas: 15,
          },
        ],
      }).ok,
    ).toBe(true);
    const event = (name: string, from: string, until: string) => ({
      name,
      from,
      until,
      minReplicas: 1,
      maxReplicas: 2,
    });
    const result = validateCalendarSpec({
      holidays: [{ date: '2026-02-30x' }],
      events: [
        event('a', '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z'),
        event('b', '2026-11-27T12:00:00Z', '2026-11-29T00:00:00Z'),
      ],
      unknown: true,
    });
    expect(result.ok ? [] : result.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(
      expect.arrayContaining([
        'spec.holidays[0].date: expected a date YYYY-MM-DD',
        'spec.events: two events overlap in time',
        'spec: unknown field(s): unknown',
      ]),
    );
  });
});
