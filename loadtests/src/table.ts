/** Plain-text tables for the terminal: the verdicts, and replicas over time. */
import type { Verdict } from './scaling-rules.js';
import { samplesOf, type WorkloadSample } from './samples.js';

export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function verdictTable(verdicts: readonly Verdict[]): string {
  return formatTable(
    ['workload', 'rule', 'result', 'observed'],
    verdicts.map((v) => [v.workload, v.rule, v.passed ? 'ok' : 'FAILED', v.observed]),
  );
}

/** One row per sampling instant: `current/desired [min-max]` for an HPA, `ready/wanted` otherwise. */
export function timelineTable(
  samples: readonly WorkloadSample[],
  workloads: readonly string[],
): string {
  const instants = [...new Set(samples.map((s) => s.atSeconds))].sort((a, b) => a - b);
  const byWorkload = new Map(
    workloads.map((w) => [w, new Map(samplesOf(samples, w).map((s) => [s.atSeconds, s]))]),
  );
  const rows = instants.map((at) => [
    `${at}s`,
    ...workloads.map((w) => {
      const s = byWorkload.get(w)?.get(at);
      if (!s) return '-';
      const bounds = s.source === 'hpa' ? ` [${s.minReplicas}-${s.maxReplicas ?? '?'}]` : '';
      return `${s.currentReplicas}/${s.desiredReplicas}${bounds}`;
    }),
  ]);
  return formatTable(['t', ...workloads], rows);
}
