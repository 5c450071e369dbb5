import {
  cpuRatio,
  formatTable,
  median,
  ratio,
  rows,
  spread,
  type PathSpec,
  type Run,
} from '../src/table.js';

const run = (rps: number, p99 = 10, failures = 0, cpuMicros?: number): Run => ({
  rps,
  p50: p99 / 2,
  p99,
  failures,
  ...(cpuMicros === undefined ? {} : { cpuMicros }),
});

const PATHS: PathSpec[] = [
  { name: 'hello' },
  {
    name: 'search',
    baseline: 'hello',
    goal: { kind: 'throughput', atLeast: 0.6 },
    service: 'catalog',
  },
  { name: 'search @ half', baseline: 'hello', goal: { kind: 'p99', atMost: 2 } },
];

describe('ratio', () => {
  it('is throughput over the baseline’s for a throughput goal (and without a goal)', () => {
    expect(ratio({ kind: 'throughput', atLeast: 0.6 }, run(300), run(1000))).toBeCloseTo(0.3);
    expect(ratio(undefined, run(500), run(1000))).toBeCloseTo(0.5);
  });

  it('is p99 over the baseline’s for a p99 goal, a sub-millisecond baseline counting as 1 ms', () => {
    expect(ratio({ kind: 'p99', atMost: 2 }, run(1, 30), run(1, 10))).toBeCloseTo(3);
    expect(ratio({ kind: 'p99', atMost: 2 }, run(1, 3), run(1, 0))).toBeCloseTo(3);
  });

  it('is 0 against a baseline that served nothing', () => {
    expect(ratio(undefined, run(10), run(0))).toBe(0);
  });

  it('by CPU: the baseline’s CPU per request over the path’s, for throughput only', () => {
    const goal = { kind: 'throughput', atLeast: 0.6 } as const;
    expect(cpuRatio(goal, run(1, 1, 0, 200), run(1, 1, 0, 50))).toBeCloseTo(0.25);
    expect(cpuRatio({ kind: 'p99', atMost: 2 }, run(1, 1, 0, 200), run(1, 1, 0, 50))).toBe(
      undefined,
    );
    expect(cpuRatio(goal, run(1), run(1, 1, 0, 50))).toBe(undefined);
  });
});

describe('median and spread', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('prints the median and the range over the rounds', () => {
    expect(spread([0.7, 0.5, 0.62])).toBe('0.62 (0.50–0.70)');
    expect(spread([0.5])).toBe('0.50');
    expect(spread([])).toBe('');
  });
});

describe('rows', () => {
  const rounds = [
    { hello: run(1000, 4, 0, 50), search: run(700, 8, 0, 100), 'search @ half': run(500, 12) },
    { hello: run(800, 4, 0, 60), search: run(400, 8, 0, 200), 'search @ half': run(400, 6, 3) },
  ];
  const services = {
    catalog: { rssRestMiB: 80.4, rssLoadMiB: 120.6, readySeconds: [1.2, 1.4] },
    user: { rssRestMiB: 70, readySeconds: [0.9] },
  };

  it('takes each ratio within its round, then the median over the rounds', () => {
    const [, search] = rows({ paths: PATHS, rounds, services });
    // Round 1: 700/1000 = 0.70; round 2: 400/800 = 0.50 (not median(700,400)/median(1000,800) = 0.61).
    expect(search!.cells[3]).toBe('0.60 (0.50–0.70)');
    // By CPU: 50/100 = 0.50 and 60/200 = 0.30.
    expect(search!.cells[4]).toBe('0.40 (0.30–0.50)');
    expect(search!.missed).toBe(false);
    expect(search!.cells[1]).toBe('550');
    expect(search!.cells[8]).toBe('150');
    expect(search!.cells[9]).toBe('80→121');
    expect(search!.cells[10]).toBe('1.30 (1.20–1.40)');
  });

  it('marks a missed goal and counts failed requests in the name', () => {
    const [, , half] = rows({ paths: PATHS, rounds, services });
    // p99 ratios 12/4 = 3 and 6/4 = 1.5: median 2.25 > 2.
    expect(half!.missed).toBe(true);
    expect(half!.cells[0]).toBe('search @ half [3 failed]');
  });

  it('flags a round in which the path answered nothing', () => {
    const silentRounds = [{ ...rounds[0]!, search: run(0) }, rounds[1]!];
    const [, search] = rows({ paths: PATHS, rounds: silentRounds, services });
    expect(search!.cells[0]).toBe('search [no answer in 1 round]');
  });

  it('adds a row for each service no path names, with a ? for memory not read', () => {
    const table = rows({ paths: PATHS, rounds, services });
    expect(table.at(-1)!.cells[0]).toBe('(user)');
    expect(table.at(-1)!.cells[9]).toBe('70→?');
    expect(table.map((r) => r.cells[0])).not.toContain('(catalog)');
  });

  it('puts a service’s memory and start-up on its first row only', () => {
    const paths = [...PATHS, { name: 'search again', service: 'catalog' }];
    const again = { 'search again': run(10) };
    const table = rows({ paths, rounds: [{ ...rounds[0]!, ...again }], services });
    expect(table.find((r) => r.cells[0] === 'search')!.cells[9]).toBe('80→121');
    expect(table.find((r) => r.cells[0] === 'search again')!.cells[9]).toBe('');
  });

  it('leaves out a path measured in no round', () => {
    const table = rows({ paths: [...PATHS, { name: 'never run' }], rounds, services });
    expect(table.map((r) => r.cells[0])).not.toContain('never run');
  });
});

describe('formatTable', () => {
  it('prints a markdown table with aligned columns and a ✗ on a missed goal', () => {
    const text = formatTable({
      paths: PATHS,
      rounds: [{ hello: run(1000, 4), search: run(300, 8), 'search @ half': run(1, 4) }],
      services: {},
    });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^\| path +\| req\/s \| baseline \| ratio \(range\) \| by CPU\/req \|/,
    );
    expect(lines[1]).toMatch(/^\| -+ \| -+ \|/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[3]).toContain('≥ 0.6× ✗');
    expect(lines[4]).not.toContain('✗');
  });
});
