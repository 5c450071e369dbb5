// A week of bounds as segments, replica-hours and cost: the numbers behind `preview`.
import { describeSource, evaluate } from '../schedule/evaluate.js';
import type { ScalingScheduleSpec } from '../schedule/schema.js';
import {
  addDays,
  instantOfClock,
  isoWeekdayIndex,
  toLocal,
  type LocalDate,
} from '../schedule/zoned-time.js';

export interface Segment {
  start: Date;
  end: Date;
  label: string;
  minReplicas: number;
  maxReplicas: number;
}

export interface WeekSummary {
  segments: Segment[];
  hours: number;
  /** Replica-hours the schedule guarantees (minReplicas) and allows at most (maxReplicas). */
  minReplicaHours: number;
  maxReplicaHours: number;
  peakReplicas: number;
  /** A static deployment sized for the peak, all week. */
  staticReplicaHours: number;
}

const HOUR_MS = 3_600_000;

/** Monday 00:00 (local) of the week containing `date`'s local day. */
function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, -isoWeekdayIndex(date));
}

export function weekStart(spec: ScalingScheduleSpec, from: Date | LocalDate): Date {
  const local = from instanceof Date ? mondayOf(toLocal(from.getTime(), spec.timeZone)) : from;
  return new Date(instantOfClock(local, '00:00', spec.timeZone));
}

export function summarizeWeek(spec: ScalingScheduleSpec, start: Date): WeekSummary {
  const local = toLocal(start.getTime(), spec.timeZone);
  const end = new Date(instantOfClock(addDays(local, 7), '00:00', spec.timeZone));
  const segments: Segment[] = [];
  for (let at = start; at < end;) {
    const evaluation = evaluate(spec, at);
    const until =
      evaluation.nextTransition && evaluation.nextTransition < end
        ? evaluation.nextTransition
        : end;
    segments.push({
      start: at,
      end: until,
      label: describeSource(evaluation),
      minReplicas: evaluation.minReplicas,
      maxReplicas: evaluation.maxReplicas,
    });
    at = until;
  }
  const hoursOf = (s: Segment) => (s.end.getTime() - s.start.getTime()) / HOUR_MS;
  const hours = (end.getTime() - start.getTime()) / HOUR_MS;
  const peakReplicas = Math.max(...segments.map((s) => s.maxReplicas));
  return {
    segments,
    hours,
    minReplicaHours: segments.reduce((sum, s) => sum + s.minReplicas * hoursOf(s), 0),
    maxReplicaHours: segments.reduce((sum, s) => sum + s.maxReplicas * hoursOf(s), 0),
    peakReplicas,
    staticReplicaHours: peakReplicas * hours,
  };
}

const localText = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);

export function renderTable(spec: ScalingScheduleSpec, summary: WeekSummary): string {
  const rows = summary.segments.map((s) => [
    localText(s.start, spec.timeZone),
    localText(s.end, spec.timeZone),
    s.label,
    String(s.minReplicas),
    String(s.maxReplicas),
  ]);
  const header = [`from (${spec.timeZone})`, 'until', 'in force', 'min', 'max'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderCost(summary: WeekSummary, pricePerInstanceHour: number): string {
  const money = (n: number) => `$${n.toFixed(2)}`;
  const pct = (n: number) => `${Math.round((1 - n / summary.staticReplicaHours) * 100)}%`;
  return [
    `week: ${summary.hours} h, price ${money(pricePerInstanceHour)} per instance-hour`,
    `static at peak (${summary.peakReplicas} replicas): ${summary.staticReplicaHours.toFixed(0)} replica-hours, ${money(summary.staticReplicaHours * pricePerInstanceHour)}`,
    `schedule floor (minReplicas):  ${summary.minReplicaHours.toFixed(0)} replica-hours, ${money(summary.minReplicaHours * pricePerInstanceHour)} (${pct(summary.minReplicaHours)} less)`,
    `schedule ceiling (maxReplicas): ${summary.maxReplicaHours.toFixed(0)} replica-hours, ${money(summary.maxReplicaHours * pricePerInstanceHour)} (${pct(summary.maxReplicaHours)} less)`,
  ].join('\n');
}

/** A step chart of minReplicas and maxReplicas over the week. */
export function renderSvg(spec: ScalingScheduleSpec, summary: WeekSummary, title: string): string {
  const width = 960;
  const height = 360;
  const pad = { left: 48, right: 16, top: 40, bottom: 40 };
  const start = summary.segments[0]!.start.getTime();
  const end = summary.segments.at(-1)!.end.getTime();
  const top = Math.max(1, summary.peakReplicas + 1);
  const x = (t: number) =>
    pad.left + ((t - start) / (end - start)) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / top) * (height - pad.top - pad.bottom);
  const steps = (pick: (s: Segment) => number) =>
    summary.segments
      .map(
        (s, i) =>
          `${i === 0 ? 'M' : 'L'}${x(s.start.getTime()).toFixed(1)},${y(pick(s)).toFixed(1)} L${x(s.end.getTime()).toFixed(1)},${y(pick(s)).toFixed(1)}`,
      )
      .join(' ');
  const days = Array.from({ length: 7 }, (_, i) => {
    const local = addDays(toLocal(start, spec.timeZone), i);
    const at = x(instantOfClock(local, '00:00', spec.timeZone));
    const name = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][isoWeekdayIndex(local)];
    return `<line x1="${at.toFixed(1)}" y1="${pad.top}" x2="${at.toFixed(1)}" y2="${height - pad.bottom}" stroke="#ddd"/><text x="${(at + 4).toFixed(1)}" y="${height - pad.bottom + 16}" font-size="12">${name} ${local.day}/${local.month}</text>`;
  }).join('');
  const ticks = Array.from({ length: top + 1 }, (_, v) => v)
    .filter((v) => top <= 20 || v % 5 === 0)
    .map(
      (v) =>
        `<text x="${pad.left - 8}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${v}</text>`,
    )
    .join('');
  const escape = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad.left}" y="24" font-size="15">${escape(title)} (${escape(spec.timeZone)})</text>
${days}${ticks}
<path d="${steps((s) => s.maxReplicas)}" fill="none" stroke="#d9480f" stroke-width="2"/>
<path d="${steps((s) => s.minReplicas)}" fill="none" stroke="#1c7ed6" stroke-width="2"/>
<text x="${width - 150}" y="24" font-size="12" fill="#d9480f">maxReplicas</text>
<text x="${width - 70}" y="24" font-size="12" fill="#1c7ed6">minReplicas</text>
</svg>
`;
}
