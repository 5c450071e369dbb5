/**
 * The bench's arithmetic and its one table, pure: what was measured in each round goes in, text
 * comes out. A ratio is always taken within one round (the path and its baseline ran minutes apart
 * at most, on the same loaded machine), then summarised over the rounds as a median and a range.
 */

/** One load run of one path: autocannon's averages. */
export interface Run {
  /** Requests per second (average over the run). */
  rps: number;
  /** Requests answered in the run. */
  requests?: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Non-2xx responses, errors and timeouts. */
  failures: number;
  /**
   * CPU time (user + system) the process serving the path spent per request, in microseconds:
   * what the path costs whatever else the machine runs, so on a shared, busy machine the steadier
   * measure of how many requests a core carries.
   */
  cpuMicros?: number;
}

/** How a path is judged against its baseline. */
export type Goal =
  | { kind: 'throughput'; atLeast: number }
  /** The path's p99 at most `atMost` × the baseline's, both driven at the same fixed rate. */
  | { kind: 'p99'; atMost: number };

export interface PathSpec {
  name: string;
  /** The path it is compared with (measured in the same round); none for a baseline itself. */
  baseline?: string;
  goal?: Goal;
  /**
   * The service whose process serves it (its CPU per request; its RSS and start-up join the
   * service's first row). None: the baseline's own process.
   */
  service?: string;
}

export interface ServiceFacts {
  /** MiB at rest (after start-up, before any load) and the peak under load. */
  rssRestMiB?: number;
  rssLoadMiB?: number;
  /** Seconds from spawn to the first /readyz 200, one value per measurement. */
  readySeconds: number[];
}

/** A path's baseline-relative ratio in one round: throughput (higher is better) or p99 (lower is better). */
export function ratio(goal: Goal | undefined, path: Run, baseline: Run): number {
  if (goal?.kind === 'p99') return path.p99 / Math.max(baseline.p99, 1);
  return baseline.rps === 0 ? 0 : path.rps / baseline.rps;
}

/**
 * The same throughput ratio from CPU per request: the baseline's CPU per request over the
 * path's (requests a core carries, relative); undefined for a p99 goal or without CPU figures.
 */
export function cpuRatio(goal: Goal | undefined, path: Run, baseline: Run): number | undefined {
  if (goal?.kind === 'p99' || !path.cpuMicros || !baseline.cpuMicros) return undefined;
  return baseline.cpuMicros / path.cpuMicros;
}

export function meets(goal: Goal, value: number): boolean {
  return goal.kind === 'throughput' ? value >= goal.atLeast : value <= goal.atMost;
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "0.62 (0.55–0.70)": the median and, over more than one round, the range. */
export function spread(values: readonly number[], digits = 2): string {
  if (values.length === 0) return '';
  const m = median(values).toFixed(digits);
  if (values.length === 1) return m;
  return `${m} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

export interface TableInput {
  paths: readonly PathSpec[];
  /** rounds[i][path name]: that path's run in round i. */
  rounds: ReadonlyArray<Readonly<Record<string, Run>>>;
  services: Readonly<Record<string, ServiceFacts>>;
}

export interface Row {
  cells: string[];
  /** A goal set and missed (by the median), so the caller can say so. */
  missed: boolean;
}

export const HEADER = [
  'path',
  'req/s',
  'baseline',
  'ratio (range)',
  'by CPU/req',
  'goal',
  'p50 ms',
  'p99 ms',
  'CPU µs/req',
  'RSS MiB rest→load',
  'ready s',
];

/**
 * The rows: each path (with its service's memory and start-up), then each service that no path
 * names. Cells hold medians over the rounds; the ratio carries its range; failures are flagged.
 */
export function rows(input: TableInput): Row[] {
  const out: Row[] = [];
  const named = new Set<string>();
  for (const spec of input.paths) {
    const runs = input.rounds.map((round) => round[spec.name]).filter((r) => r !== undefined);
    if (runs.length === 0) continue;
    const pairs = spec.baseline
      ? input.rounds.flatMap((round) => {
          const path = round[spec.name];
          const base = round[spec.baseline!];
          return path && base ? [{ path, base }] : [];
        })
      : [];
    const ratios = pairs.map(({ path, base }) => ratio(spec.goal, path, base));
    const cpuRatios = pairs.flatMap(({ path, base }) => {
      const value = cpuRatio(spec.goal, path, base);
      return value === undefined ? [] : [value];
    });
    const cpu = runs.flatMap((r) => (r.cpuMicros === undefined ? [] : [r.cpuMicros]));
    const failures = runs.reduce((sum, r) => sum + r.failures, 0);
    // A round in which nothing answered at all (autocannon counts no failure then) is flagged too.
    const silent = runs.filter((r) => r.rps === 0).length;
    // A service's memory and start-up go on its first row only.
    const facts =
      spec.service && !named.has(spec.service) ? input.services[spec.service] : undefined;
    if (spec.service) named.add(spec.service);
    out.push({
      cells: [
        [
          spec.name,
          ...(failures > 0 ? [`[${failures} failed]`] : []),
          ...(silent > 0 ? [`[no answer in ${silent} round${silent > 1 ? 's' : ''}]`] : []),
        ].join(' '),
        median(runs.map((r) => r.rps)).toFixed(0),
        spec.baseline ?? '',
        spread(ratios),
        spread(cpuRatios),
        goalText(spec.goal),
        median(runs.map((r) => r.p50)).toFixed(1),
        median(runs.map((r) => r.p99)).toFixed(1),
        cpu.length > 0 ? median(cpu).toFixed(0) : '',
        facts ? memoryText(facts) : '',
        facts ? spread(facts.readySeconds) : '',
      ],
      missed: spec.goal !== undefined && ratios.length > 0 && !meets(spec.goal, median(ratios)),
    });
  }
  for (const [service, facts] of Object.entries(input.services)) {
    if (named.has(service)) continue;
    out.push({
      cells: [
        `(${service})`,
        ...Array<string>(HEADER.length - 3).fill(''),
        memoryText(facts),
        spread(facts.readySeconds),
      ],
      missed: false,
    });
  }
  return out;
}

/** The table as GitHub markdown (readable in a terminal, pasted as is into the README). */
export function formatTable(input: TableInput): string {
  const goal = HEADER.indexOf('goal');
  const body = rows(input).map((row) =>
    row.cells.map((cell, i) => (row.missed && i === goal ? `${cell} ✗` : cell)),
  );
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function goalText(goal: Goal | undefined): string {
  if (!goal) return '';
  return goal.kind === 'throughput' ? `≥ ${goal.atLeast}×` : `p99 ≤ ${goal.atMost}×`;
}

function memoryText(facts: ServiceFacts): string {
  const rest = facts.rssRestMiB === undefined ? '?' : facts.rssRestMiB.toFixed(0);
  const load = facts.rssLoadMiB === undefined ? '?' : facts.rssLoadMiB.toFixed(0);
  return `${rest}→${load}`;
}
