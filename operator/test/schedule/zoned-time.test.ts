import fc from 'fast-check';
import {
  instantOf,
  instantOfClock,
  isKnownTimeZone,
  offsetAt,
  toLocal,
} from '../../src/schedule/zoned-time.js';

const at = (zone: string, date: string, clock: string): string => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(instantOfClock({ year, month, day }, clock, zone)).toISOString();
};

describe('wall clock → instant, with the daylight-saving rules', () => {
  // [zone, local date, wall clock, expected instant, why]
  const table: [string, string, string, string, string][] = [
    ['Europe/Paris', '2026-03-28', '09:00', '2026-03-28T08:00:00.000Z', 'winter time, +01:00'],
    ['Europe/Paris', '2026-03-30', '09:00', '2026-03-30T07:00:00.000Z', 'summer time, +02:00'],
    [
      'Europe/Paris',
      '2026-03-29',
      '02:00',
      '2026-03-29T01:00:00.000Z',
      'skipped: first instant after (03:00 CEST)',
    ],
    [
      'Europe/Paris',
      '2026-03-29',
      '02:30',
      '2026-03-29T01:00:00.000Z',
      'skipped: first instant after (03:00 CEST)',
    ],
    ['Europe/Paris', '2026-03-29', '03:00', '2026-03-29T01:00:00.000Z', '03:00 CEST exists'],
    [
      'Europe/Paris',
      '2026-10-25',
      '02:30',
      '2026-10-25T00:30:00.000Z',
      'repeated: first occurrence (CEST)',
    ],
    ['Europe/Paris', '2026-10-25', '03:00', '2026-10-25T02:00:00.000Z', 'after the repeat, CET'],
    [
      'Europe/Paris',
      '2026-10-25',
      '24:00',
      '2026-10-25T23:00:00.000Z',
      '24:00 is the next midnight',
    ],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z', 'skipped: 03:00 EDT'],
    [
      'America/New_York',
      '2026-03-08',
      '01:59',
      '2026-03-08T06:59:00.000Z',
      'last minute before the gap',
    ],
    [
      'America/New_York',
      '2026-11-01',
      '01:30',
      '2026-11-01T05:30:00.000Z',
      'repeated: first occurrence (EDT)',
    ],
    [
      'America/New_York',
      '2026-11-01',
      '02:00',
      '2026-11-01T07:00:00.000Z',
      'after the repeat, EST',
    ],
    [
      'Australia/Sydney',
      '2026-04-05',
      '02:30',
      '2026-04-04T15:30:00.000Z',
      'repeated: first occurrence (AEDT)',
    ],
    [
      'Australia/Sydney',
      '2026-04-05',
      '03:00',
      '2026-04-04T17:00:00.000Z',
      'after the repeat, AEST',
    ],
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:00:00.000Z', 'skipped: 03:00 AEDT'],
    ['Australia/Sydney', '2026-10-04', '09:00', '2026-10-03T22:00:00.000Z', 'summer time, +11:00'],
    ['Asia/Kolkata', '2026-03-29', '09:00', '2026-03-29T03:30:00.000Z', 'no DST, +05:30'],
    ['Asia/Kolkata', '2026-10-25', '02:30', '2026-10-24T21:00:00.000Z', 'no DST, +05:30'],
    [
      'Asia/Kolkata',
      '2026-12-31',
      '24:00',
      '2026-12-31T18:30:00.000Z',
      'midnight into the new year',
    ],
  ];

  it.each(table)('%s %s %s → %s (%s)', (zone, date, clock, expected) => {
    expect(at(zone, date, clock)).toBe(expected);
  });

  it('reads offsets to the second', () => {
    expect(offsetAt(Date.parse('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
    expect(
      new Date(
        instantOf({ year: 2026, month: 7, day: 1, hour: 12, minute: 0, second: 30 }, 'UTC'),
      ).toISOString(),
    ).toBe('2026-07-01T12:00:30.000Z');
  });

  it('knows the tz database zones and rejects invented ones', () => {
    expect(isKnownTimeZone('Europe/Paris')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('toLocal (hour offsets cached)', () => {
  const byIntl = (instant: number, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(instant));
    const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return ['year', 'month', 'day', 'hour', 'minute', 'second'].map(field);
  };

  it('reads what Intl reads, around transitions too (zones with 30- and 45-minute offsets)', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        // 2026–2027, in seconds: both DST changes of each zone fall inside.
        fc.integer({ min: 1_767_225_600, max: 1_830_297_600 }),
        (zone, seconds) => {
          const instant = seconds * 1000;
          const local = toLocal(instant, zone);
          expect([
            local.year,
            local.month,
            local.day,
            local.hour,
            local.minute,
            local.second,
          ]).toEqual(byIntl(instant, zone));
        },
      ),
      { numRuns: 2000 },
    );
    // Every second of the hour around Paris' spring change (2026-03-29 01:00Z).
    for (
      let t = Date.parse('2026-03-29T00:30:00Z');
      t < Date.parse('2026-03-29T01:30:00Z');
      t += 1000
    ) {
      const local = toLocal(t, 'Europe/Paris');
      expect([local.year, local.month, local.day, local.hour, local.minute, local.second]).toEqual(
        byIntl(t, 'Europe/Paris'),
      );
    }
  });
});
