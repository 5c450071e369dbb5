import { explain, parseCommand, planBoost, UsageError } from '../../src/plugin/commands.js';
import { bookingWindows, spec } from '../schedule/fixtures.js';

const booking = spec({ windows: bookingWindows, leadTime: '5m' });
const wednesdayNoon = new Date('2026-06-10T10:00:00Z'); // 12:00 CEST, business hours

const usageError = (argv: string[]) => {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('parseCommand', () => {
  it('reads each command with its options', () => {
    expect(
      parseCommand(['boost', 'booking', '--min', '8', '--for', '2h', '-n', 'tourkit']),
    ).toEqual({
      command: { kind: 'boost', name: 'booking', min: 8, forMs: 7_200_000 },
      namespace: 'tourkit',
    });
    expect(parseCommand(['boost', 'b', '--min', '3', '--max', '9', '--for', '1d']).command).toEqual(
      {
        kind: 'boost',
        name: 'b',
        min: 3,
        max: 9,
        forMs: 86_400_000,
      },
    );
    expect(parseCommand(['pause', 'b']).command).toEqual({ kind: 'pause', name: 'b' });
    expect(parseCommand(['resume', 'b', '--context', 'kind']).context).toBe('kind');
    expect(
      parseCommand(['preview', 'b', '--from', '2026-06-08', '--svg', 'w.svg']).command,
    ).toEqual({
      kind: 'preview',
      name: 'b',
      from: '2026-06-08',
      svg: 'w.svg',
    });
    expect(parseCommand(['explain', 'b', '--at', '2026-06-10T12:00:00+02:00']).command).toEqual({
      kind: 'explain',
      name: 'b',
      at: wednesdayNoon,
    });
    expect(parseCommand([]).command).toEqual({ kind: 'help' });
  });

  it('names the option at fault', () => {
    expect(usageError(['boost', 'b', '--min', 'eight', '--for', '2h'])).toBe(
      '--min: expected a whole number from 1 to 10000, got "eight"',
    );
    expect(usageError(['boost', 'b', '--min', '0', '--for', '2h'])).toMatch(/^--min: /);
    expect(usageError(['boost', 'b', '--min', '8', '--for', 'two hours'])).toBe(
      '--for: expected a duration such as 2h, 90m or 1h30m, got "two hours"',
    );
    expect(usageError(['boost', 'b', '--min', '8', '--for', '800h'])).toBe(
      '--for: at most 31 days (744h), got "800h"',
    );
    expect(usageError(['boost', 'b', '--min', '8'])).toBe(
      'boost: --for is required (e.g. --for 2h)',
    );
    expect(usageError(['boost', 'b', '--for', '2h'])).toBe('boost: --min is required');
    expect(usageError(['boost', 'b', '--min', '8', '--max', '4', '--for', '2h'])).toBe(
      '--max (4) must be at least --min (8)',
    );
    expect(usageError(['pause'])).toBe('pause: missing the schedule NAME');
    expect(usageError(['pause', 'b', '--min', '3'])).toBe(
      'pause: --min does not apply (it takes: no options)',
    );
    expect(usageError(['shrink', 'b'])).toBe(
      'unknown command "shrink"; expected one of boost, pause, resume, preview, explain',
    );
    expect(usageError(['boost', 'b', '--mni', '3'])).toMatch(/Unknown option '--mni'/);
    expect(usageError(['preview', 'b', '--from', 'monday'])).toBe(
      '--from: expected YYYY-MM-DD, got "monday"',
    );
    expect(usageError(['explain', 'b', '--at', 'noon'])).toMatch(/^--at: expected a time/);
  });
});

describe('planBoost', () => {
  it('adds an override from now for the duration, max at least the bounds in force', () => {
    const { added, overrides } = planBoost(booking, wednesdayNoon, { min: 8, forMs: 7_200_000 });
    expect(added).toEqual({
      name: 'boost-20260610100000',
      from: '2026-06-10T10:00:00Z',
      until: '2026-06-10T12:00:00Z',
      minReplicas: 8,
      maxReplicas: 10,
    });
    expect(overrides).toEqual([added]);
  });

  it('drops expired boosts, keeps other overrides, refuses an overlap naming it', () => {
    const withOverrides = spec({
      windows: bookingWindows,
      overrides: [
        {
          name: 'boost-old',
          from: '2026-06-09T08:00:00Z',
          until: '2026-06-09T10:00:00Z',
          minReplicas: 6,
          maxReplicas: 9,
        },
        {
          name: 'sale',
          from: '2026-06-11T08:00:00Z',
          until: '2026-06-12T08:00:00Z',
          minReplicas: 9,
          maxReplicas: 12,
        },
      ],
    });
    const { overrides } = planBoost(withOverrides, wednesdayNoon, {
      min: 12,
      max: 20,
      forMs: 3_600_000,
    });
    expect(overrides.map((o) => o.name)).toEqual(['sale', 'boost-20260610100000']);
    expect(() =>
      planBoost(withOverrides, wednesdayNoon, { min: 12, forMs: 24 * 3_600_000 }),
    ).toThrow(
      'boost: overlaps override "sale" (2026-06-11T08:00:00Z to 2026-06-12T08:00:00Z); overrides may not overlap',
    );
  });
});

describe('explain', () => {
  it('says which window is in force, and what comes next', () => {
    const text = explain({ namespace: 'tourkit', name: 'booking', spec: booking }, wednesdayNoon);
    expect(text).toContain('now: Wed 2026-06-10 12:00 (Europe/Paris)');
    expect(text).toContain(
      'in force: window "business-hours" (Mon,Tue,Wed,Thu,Fri 09:00–17:00, priority 10): min 5, max 10',
    );
    expect(text).toContain('next: Wed 2026-06-10 17:00 (in 5h 0m) → default: min 2, max 4');
    expect(text).toContain('controller: no status yet');
  });

  it('says where a ramp stands', () => {
    const ramped = spec({ windows: bookingWindows, ramp: { duration: '30m', steps: 3 } });
    const text = explain(
      { namespace: 't', name: 'b', spec: ramped },
      new Date('2026-06-10T15:05:00Z'),
    );
    expect(text).toContain('ramp: step 1 of 3: min 4, max 8, on the way to min 2, max 4');
    expect(text).toContain('next: Wed 2026-06-10 17:10 (in 5m) → default (ramp 2/3): min 3, max 6');
  });

  it('names a lead, and the controller conditions that are not as expected', () => {
    const text = explain(
      {
        namespace: 'tourkit',
        name: 'booking',
        spec: booking,
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'TargetNotFound',
              message: 'no HPA',
              lastTransitionTime: '',
            },
          ],
        },
      },
      new Date('2026-06-11T06:57:00Z'), // Thu 08:57 CEST, 3 minutes before business hours
    );
    expect(text).toContain('in force: default (no window covers this time): min 2, max 4');
    expect(text).toContain(
      'lead: raised to min 5, max 10 ahead of window "business-hours" (leadTime 5m)',
    );
    expect(text).toContain('Ready=False (TargetNotFound: no HPA)');
  });
});
