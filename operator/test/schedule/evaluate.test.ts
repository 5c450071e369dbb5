import fc from 'fast-check';
import { describeSource, evaluate, sameSnapshot } from '../../src/schedule/evaluate.js';
import { DAYS } from '../../src/schedule/schema.js';
import { bookingWindows, spec } from './fixtures.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('evaluate: the booking schedule (Europe/Paris)', () => {
  const booking = spec({ windows: bookingWindows });

  it('weekday business hours', () => {
    const result = evaluate(booking, new Date('2026-06-10T10:00:00Z')); // Wed 12:00 CEST
    expect(result).toMatchObject({
      active: { kind: 'window', name: 'business-hours' },
      minReplicas: 5,
      maxReplicas: 10,
    });
    expect(iso(result.nextTransition)).toBe('2026-06-10T15:00:00.000Z'); // 17:00 CEST
  });

  it('weekday night falls back to the default', () => {
    const result = evaluate(booking, new Date('2026-06-10T20:00:00Z'));
    expect(result).toMatchObject({
      active: { kind: 'default', reason: 'no-window' },
      minReplicas: 2,
      maxReplicas: 4,
    });
    expect(iso(result.nextTransition)).toBe('2026-06-11T07:00:00.000Z');
  });

  it('Friday evening → the weekend starts at Saturday midnight', () => {
    const result = evaluate(booking, new Date('2026-06-12T16:00:00Z'));
    expect(iso(result.nextTransition)).toBe('2026-06-12T22:00:00.000Z');
    const weekend = evaluate(booking, new Date('2026-06-13T12:00:00Z'));
    expect(weekend).toMatchObject({
      active: { kind: 'window', name: 'weekend' },
      minReplicas: 7,
      maxReplicas: 15,
    });
    // Sat and Sun windows abut: the next change is Monday 00:00, not Sunday 00:00.
    expect(iso(weekend.nextTransition)).toBe('2026-06-14T22:00:00.000Z');
  });

  it('the weekend that ends summer time lasts 49 hours', () => {
    const saturdayMidnight = evaluate(booking, new Date('2026-10-23T22:00:00Z'));
    expect(saturdayMidnight.active).toEqual({ kind: 'window', name: 'weekend' });
    expect(iso(saturdayMidnight.nextTransition)).toBe('2026-10-25T23:00:00.000Z'); // Mon 00:00 CET
  });
});

describe('evaluate: daylight-saving boundaries', () => {
  const nightly = (timeZone: string, start: string, end: string, days = [...DAYS]) =>
    spec({
      timeZone,
      windows: [{ name: 'batch', days, start, end, minReplicas: 6, maxReplicas: 8 }],
    });

  it('Europe/Paris: a window opening in the skipped hour opens at 03:00 CEST', () => {
    const s = nightly('Europe/Paris', '02:30', '04:00', ['Sun']);
    expect(iso(evaluate(s, new Date('2026-03-29T00:00:00Z')).nextTransition)).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(evaluate(s, new Date('2026-03-29T01:00:00Z')).active).toEqual({
      kind: 'window',
      name: 'batch',
    });
    expect(iso(evaluate(s, new Date('2026-03-29T01:00:00Z')).nextTransition)).toBe(
      '2026-03-29T02:00:00.000Z',
    );
  });

  it('Europe/Paris: a window wholly inside the skipped hour does not happen that day', () => {
    const s = nightly('Europe/Paris', '02:10', '02:50', ['Sun']);
    expect(iso(evaluate(s, new Date('2026-03-28T23:00:00Z')).nextTransition)).toBe(
      '2026-04-05T00:10:00.000Z',
    );
  });

  it('Europe/Paris: a window in the repeated hour runs once, on the first occurrence', () => {
    const s = nightly('Europe/Paris', '02:15', '02:45', ['Sun']);
    const before = evaluate(s, new Date('2026-10-25T00:00:00Z'));
    expect(iso(before.nextTransition)).toBe('2026-10-25T00:15:00.000Z');
    const during = evaluate(s, new Date('2026-10-25T00:20:00Z'));
    expect(iso(during.nextTransition)).toBe('2026-10-25T00:45:00.000Z');
    // The second 02:15–02:45 (CET) is not a window.
    expect(evaluate(s, new Date('2026-10-25T01:20:00Z')).active.kind).toBe('default');
  });

  it('America/New_York: 02:30 on the spring-forward day means 03:00 EDT; the end stays 04:00', () => {
    const s = nightly('America/New_York', '02:30', '04:00');
    expect(iso(evaluate(s, new Date('2026-03-08T05:00:00Z')).nextTransition)).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    expect(iso(evaluate(s, new Date('2026-03-08T07:00:00Z')).nextTransition)).toBe(
      '2026-03-08T08:00:00.000Z',
    );
    // A window that runs through the repeated hour lasts an hour longer in real time.
    const fall = nightly('America/New_York', '00:30', '03:00');
    expect(iso(evaluate(fall, new Date('2026-11-01T04:30:00Z')).nextTransition)).toBe(
      '2026-11-01T08:00:00.000Z',
    );
  });

  it('Australia/Sydney: DST ends in April and starts in October (southern hemisphere)', () => {
    const s = nightly('Australia/Sydney', '09:00', '17:00', ['Mon']);
    // Mon 2026-04-06 09:00 AEST (+10) and Mon 2026-10-05 09:00 AEDT (+11).
    expect(iso(evaluate(s, new Date('2026-04-05T00:00:00Z')).nextTransition)).toBe(
      '2026-04-05T23:00:00.000Z',
    );
    expect(iso(evaluate(s, new Date('2026-10-04T00:00:00Z')).nextTransition)).toBe(
      '2026-10-04T22:00:00.000Z',
    );
    const repeated = nightly('Australia/Sydney', '02:30', '02:45', ['Sun']);
    expect(iso(evaluate(repeated, new Date('2026-04-04T12:00:00Z')).nextTransition)).toBe(
      '2026-04-04T15:30:00.000Z',
    );
  });

  it('Asia/Kolkata: a half-hour offset, no DST at all', () => {
    const s = nightly('Asia/Kolkata', '09:00', '17:00');
    for (const day of ['2026-01-15', '2026-03-29', '2026-07-01', '2026-10-25']) {
      expect(iso(evaluate(s, new Date(`${day}T00:00:00Z`)).nextTransition)).toBe(
        `${day}T03:30:00.000Z`,
      );
    }
  });
});

describe('evaluate: overlaps, gaps, exclusions, overrides, leadTime', () => {
  it('overlapping windows: the higher priority wins, then the lower resumes', () => {
    const s = spec({
      timeZone: 'UTC',
      windows: [
        {
          name: 'day',
          days: [...DAYS],
          start: '08:00',
          end: '20:00',
          minReplicas: 4,
          maxReplicas: 8,
          priority: 1,
        },
        {
          name: 'lunch',
          days: [...DAYS],
          start: '12:00',
          end: '14:00',
          minReplicas: 6,
          maxReplicas: 12,
          priority: 5,
        },
      ],
    });
    const lunch = evaluate(s, new Date('2026-06-10T13:00:00Z'));
    expect(lunch).toMatchObject({ active: { kind: 'window', name: 'lunch' }, minReplicas: 6 });
    expect(iso(lunch.nextTransition)).toBe('2026-06-10T14:00:00.000Z');
    expect(evaluate(s, new Date('2026-06-10T14:00:00Z')).active).toEqual({
      kind: 'window',
      name: 'day',
    });
  });

  it('a lower-priority window does not lower the bounds of a higher one', () => {
    const s = spec({
      timeZone: 'UTC',
      windows: [
        {
          name: 'wide',
          days: ['Wed'],
          start: '00:00',
          end: '24:00',
          minReplicas: 9,
          maxReplicas: 9,
          priority: 9,
        },
        {
          name: 'narrow',
          days: ['Wed'],
          start: '10:00',
          end: '11:00',
          minReplicas: 1,
          maxReplicas: 1,
          priority: 1,
        },
      ],
    });
    expect(evaluate(s, new Date('2026-06-10T10:30:00Z')).minReplicas).toBe(9);
  });

  it('a gap between windows is the default; overnight windows cross midnight', () => {
    const s = spec({
      timeZone: 'UTC',
      windows: [
        {
          name: 'evening',
          days: ['Fri'],
          start: '18:00',
          end: '20:00',
          minReplicas: 3,
          maxReplicas: 6,
        },
        {
          name: 'night',
          days: ['Fri'],
          start: '22:00',
          end: '02:00',
          minReplicas: 3,
          maxReplicas: 5,
        },
      ],
    });
    expect(evaluate(s, new Date('2026-06-12T21:00:00Z')).active.kind).toBe('default');
    const night = evaluate(s, new Date('2026-06-13T01:00:00Z'));
    expect(night.active).toEqual({ kind: 'window', name: 'night' });
    expect(iso(night.nextTransition)).toBe('2026-06-13T02:00:00.000Z');
  });

  it('an excluded date is the default for the whole local day', () => {
    const s = spec({
      windows: bookingWindows,
      exclusions: [{ date: '2026-12-25', reason: 'Christmas' }],
    });
    const christmas = evaluate(s, new Date('2026-12-25T10:00:00Z'));
    expect(christmas.active).toEqual({ kind: 'default', reason: 'exclusion' });
    // Christmas 2026 is a Friday: the weekend window takes over at its end.
    expect(iso(christmas.nextTransition)).toBe('2026-12-25T23:00:00.000Z');
    expect(evaluate(s, new Date('2026-12-25T23:00:00Z')).active).toEqual({
      kind: 'window',
      name: 'weekend',
    });
    // Thursday evening: same bounds, but the reason changes at midnight.
    expect(iso(evaluate(s, new Date('2026-12-24T17:00:00Z')).nextTransition)).toBe(
      '2026-12-24T23:00:00.000Z',
    );
    expect(evaluate(s, new Date('2026-12-24T08:30:00Z')).active.kind).toBe('window');
  });

  it('an override wins while it lasts and expires on its own', () => {
    const s = spec({
      windows: bookingWindows,
      overrides: [
        {
          name: 'black-friday',
          from: '2026-11-27T06:00:00+01:00',
          until: '2026-11-28T00:00:00+01:00',
          minReplicas: 10,
          maxReplicas: 15,
        },
      ],
    });
    const during = evaluate(s, new Date('2026-11-27T12:00:00Z'));
    expect(during).toMatchObject({
      active: { kind: 'override', name: 'black-friday' },
      minReplicas: 10,
      maxReplicas: 15,
    });
    expect(iso(during.nextTransition)).toBe('2026-11-27T23:00:00.000Z');
    expect(evaluate(s, new Date('2026-11-27T23:00:00Z')).active).toEqual({
      kind: 'window',
      name: 'weekend',
    });
    expect(evaluate(s, new Date('2026-12-04T12:00:00Z')).active).toEqual({
      kind: 'window',
      name: 'business-hours',
    });
  });

  it('leadTime raises the bounds before a window opens, never lowers them', () => {
    const s = spec({ windows: bookingWindows, leadTime: '5m' });
    const justBefore = evaluate(s, new Date('2026-06-10T06:54:00Z'));
    expect(justBefore).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(iso(justBefore.nextTransition)).toBe('2026-06-10T06:55:00.000Z');
    const leading = evaluate(s, new Date('2026-06-10T06:57:00Z'));
    expect(leading).toMatchObject({
      active: { kind: 'default' },
      leadingInto: 'business-hours',
      minReplicas: 5,
      maxReplicas: 10,
    });
    expect(iso(leading.nextTransition)).toBe('2026-06-10T07:00:00.000Z');
    // Friday 23:55 → weekend lead; Sunday 23:55 → business hours do not lead (they open at 09:00).
    expect(evaluate(s, new Date('2026-06-12T21:56:00Z'))).toMatchObject({
      leadingInto: 'weekend',
      minReplicas: 7,
    });
  });

  it('leadTime does not lead into a window on an excluded day', () => {
    const s = spec({
      windows: bookingWindows,
      leadTime: '1h',
      exclusions: [{ date: '2026-06-10' }],
    });
    expect(evaluate(s, new Date('2026-06-10T06:30:00Z')).leadingInto).toBeUndefined();
  });

  // A Monday window at 00:00 with a leadTime of a day: the lead opens 24 real hours earlier,
  // whatever the wall clock says in between (Europe/Paris, 2026: summer time starts Sun 29 Mar,
  // ends Sun 25 Oct).
  const mondayMidnight = spec({
    leadTime: '24h',
    windows: [
      {
        name: 'monday',
        days: ['Mon'],
        start: '00:00',
        end: '06:00',
        minReplicas: 9,
        maxReplicas: 12,
      },
    ],
  });

  it('a leadTime of a day across the spring-forward night (a 23-hour Sunday)', () => {
    // Mon 30 Mar 00:00 CEST = 29 Mar 22:00Z; a day earlier is Sat 28 Mar 23:00 CET.
    const before = evaluate(mondayMidnight, new Date('2026-03-28T21:59:00Z'));
    expect(before).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(iso(before.nextTransition)).toBe('2026-03-28T22:00:00.000Z');
    const leading = evaluate(mondayMidnight, new Date('2026-03-28T22:30:00Z')); // Sat 23:30 CET
    expect(leading).toMatchObject({ leadingInto: 'monday', minReplicas: 9, maxReplicas: 12 });
    expect(iso(leading.nextTransition)).toBe('2026-03-29T22:00:00.000Z');
  });

  it('a leadTime of a day across the fall-back night (a 25-hour Sunday)', () => {
    // Mon 26 Oct 00:00 CET = 25 Oct 23:00Z; a day earlier is Sun 25 Oct 01:00 CEST.
    const before = evaluate(mondayMidnight, new Date('2026-10-24T22:30:00Z')); // Sun 00:30 CEST
    expect(before).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(iso(before.nextTransition)).toBe('2026-10-24T23:00:00.000Z');
    const leading = evaluate(mondayMidnight, new Date('2026-10-24T23:30:00Z'));
    expect(leading).toMatchObject({ leadingInto: 'monday', minReplicas: 9 });
    expect(iso(leading.nextTransition)).toBe('2026-10-25T23:00:00.000Z');
  });

  it('a ramp moves the bounds in steps after a boundary, rounding up, then holds', () => {
    const s = spec({ windows: bookingWindows, ramp: { duration: '30m', steps: 3 } });
    // Business hours end at 17:00 CEST (15:00Z): 5–10 → 2–4 in 3 steps 10 minutes apart.
    const first = evaluate(s, new Date('2026-06-10T15:00:00Z'));
    expect(first).toMatchObject({
      active: { kind: 'default' },
      minReplicas: 4, // 5 - 3 × 1/3
      maxReplicas: 8, // 10 - 6 × 1/3
      ramp: { step: 1, of: 3, target: { minReplicas: 2, maxReplicas: 4 } },
    });
    expect(iso(first.nextTransition)).toBe('2026-06-10T15:10:00.000Z');
    expect(evaluate(s, new Date('2026-06-10T15:15:00Z'))).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
    });
    const done = evaluate(s, new Date('2026-06-10T15:20:00Z'));
    expect(done).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(done.ramp).toBeUndefined();
    expect(iso(done.nextTransition)).toBe('2026-06-11T07:00:00.000Z'); // Thursday 09:00
    expect(describeSource(first)).toBe('default (ramp 1/3)');
    // Up at 09:00: 2–4 → 5–10, the first step at once.
    expect(evaluate(s, new Date('2026-06-11T07:00:00Z'))).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
    });
  });

  it('no windows and no overrides: never changes', () => {
    expect(evaluate(spec(), new Date('2026-06-10T06:30:00Z')).nextTransition).toBeNull();
  });
});

describe('evaluate: properties', () => {
  const zones = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const windowArb = fc.record({
    days: fc.uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 7 }),
    start: clock,
    end: fc.oneof(clock, fc.constant('24:00')),
    minReplicas: fc.integer({ min: 1, max: 5 }),
    extra: fc.integer({ min: 0, max: 5 }),
    priority: fc.integer({ min: 0, max: 60 }),
  });
  const specArb = fc
    .record({
      timeZone: fc.constantFrom(...zones),
      windows: fc.array(windowArb, { maxLength: 4 }),
      leadMinutes: fc.constantFrom(0, 5, 90, 1440),
      excluded: fc.boolean(),
      ramp: fc.option(
        fc.record({
          duration: fc.constantFrom('1m', '30m', '2h', '6h'),
          steps: fc.integer({ min: 2, max: 5 }),
        }),
        { nil: undefined },
      ),
    })
    .map(({ timeZone, windows, leadMinutes, excluded, ramp }) =>
      spec({
        timeZone,
        leadTime: `${leadMinutes}m`,
        ...(ramp ? { ramp } : {}),
        exclusions: excluded ? [{ date: '2026-03-29' }] : [],
        windows: windows
          .filter((w) => w.start !== w.end)
          .map((w, i) => ({
            name: `w${i}`,
            days: w.days,
            start: w.start,
            end: w.end,
            minReplicas: w.minReplicas,
            maxReplicas: w.minReplicas + w.extra,
            priority: w.priority * 16 + i, // distinct priorities: overlaps are allowed
          })),
      }),
    );
  const nowArb = fc
    .integer({ min: Date.parse('2026-03-20T00:00:00Z'), max: Date.parse('2026-11-10T00:00:00Z') })
    .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));

  it('nextTransition is after now, the evaluation holds until then and changes there', () => {
    fc.assert(
      fc.property(
        specArb,
        nowArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, now, fraction) => {
          const result = evaluate(s, now);
          if (result.nextTransition === null) return;
          const next = result.nextTransition.getTime();
          expect(next).toBeGreaterThan(now.getTime());
          const inside = new Date(now.getTime() + Math.floor((next - now.getTime()) * fraction));
          const between = inside.getTime() < next ? inside : now;
          expect(sameSnapshot(evaluate(s, between), result)).toBe(true);
          expect(sameSnapshot(evaluate(s, new Date(next - 1)), result)).toBe(true);
          expect(sameSnapshot(evaluate(s, result.nextTransition), result)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('bounds are always min ≤ max and ≥ 1', () => {
    fc.assert(
      fc.property(specArb, nowArb, (s, now) => {
        const { minReplicas, maxReplicas } = evaluate(s, now);
        expect(minReplicas).toBeGreaterThanOrEqual(1);
        expect(minReplicas).toBeLessThanOrEqual(maxReplicas);
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluate: sleep windows (replicas: 0)', () => {
  // Weeknights 20:00–07:00 asleep; business hours 09:00–17:00; Paris time.
  const sleepy = (extra: Parameters<typeof spec>[0] = {}) =>
    spec({
      windows: [
        ...bookingWindows!,
        {
          name: 'night',
          days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
          start: '20:00',
          end: '07:00',
          replicas: 0,
        },
      ],
      ...extra,
    });

  it('is asleep in the window, at zero, until its end', () => {
    const result = evaluate(sleepy(), new Date('2026-06-10T20:00:00Z')); // Wed 22:00 CEST
    expect(result).toMatchObject({
      active: { kind: 'window', name: 'night' },
      sleep: true,
      minReplicas: 0,
      maxReplicas: 0,
    });
    expect(iso(result.nextTransition)).toBe('2026-06-11T05:00:00.000Z'); // Thu 07:00 CEST
    expect(describeSource(result)).toBe('night (sleep)');
    expect(evaluate(sleepy(), new Date('2026-06-11T05:00:00Z'))).toMatchObject({
      active: { kind: 'default' },
      minReplicas: 2,
    });
    expect(evaluate(sleepy(), new Date('2026-06-11T05:00:00Z')).sleep).toBeUndefined();
  });

  it('wakes early by the lead time of the window that follows it', () => {
    const early = sleepy({
      windows: [
        bookingWindows![0]!,
        { name: 'night', days: ['Tue', 'Wed'], start: '20:00', end: '09:00', replicas: 0 },
      ],
      leadTime: '30m',
    });
    const before = evaluate(early, new Date('2026-06-11T06:29:00Z')); // Thu 08:29 CEST
    expect(before.sleep).toBe(true);
    expect(iso(before.nextTransition)).toBe('2026-06-11T06:30:00.000Z');
    const lead = evaluate(early, new Date('2026-06-11T06:30:00Z'));
    expect(lead).toMatchObject({ minReplicas: 5, maxReplicas: 10, leadingInto: 'business-hours' });
    expect(lead.sleep).toBeUndefined();
  });

  it('keeps the DST rules: the night across the autumn change ends at 07:00 local time', () => {
    // Sun 25 Oct 2026, 03:00 CEST → 02:00 CET; a Sunday-night window, so Mon 07:00 CET = 06:00Z.
    const sunday = spec({
      windows: [{ name: 'night', days: ['Sat'], start: '22:00', end: '07:00', replicas: 0 }],
    });
    const result = evaluate(sunday, new Date('2026-10-24T21:00:00Z')); // Sat 23:00 CEST
    expect(result.sleep).toBe(true);
    expect(iso(result.nextTransition)).toBe('2026-10-25T06:00:00.000Z'); // Sun 07:00 CET
  });

  it('goes to sleep in one step and ramps up from zero when it wakes', () => {
    const ramped = sleepy({ ramp: { duration: '30m', steps: 3 } });
    expect(evaluate(ramped, new Date('2026-06-10T18:00:00Z'))).toMatchObject({ sleep: true });
    // Thu 07:00 CEST: default 2–4 reached in steps from 0: ⌈2/3⌉–⌈4/3⌉, then ⌈4/3⌉–⌈8/3⌉, then 2–4.
    expect(evaluate(ramped, new Date('2026-06-11T05:00:00Z'))).toMatchObject({
      minReplicas: 1,
      maxReplicas: 2,
      ramp: { step: 1, of: 3 },
    });
    expect(evaluate(ramped, new Date('2026-06-11T05:20:00Z'))).toMatchObject({
      minReplicas: 2,
      maxReplicas: 4,
    });
  });

  it('is not asleep on an excluded day, nor under an override', () => {
    const excluded = sleepy({ exclusions: [{ date: '2026-06-10' }] });
    expect(evaluate(excluded, new Date('2026-06-10T20:00:00Z')).sleep).toBeUndefined();
    const boosted = sleepy({
      overrides: [
        {
          name: 'launch',
          from: '2026-06-10T19:00:00Z',
          until: '2026-06-10T23:00:00Z',
          minReplicas: 3,
          maxReplicas: 6,
        },
      ],
    });
    expect(evaluate(boosted, new Date('2026-06-10T20:00:00Z'))).toMatchObject({
      active: { kind: 'override', name: 'launch' },
      minReplicas: 3,
    });
  });
});
