// `kubectl scalingschedule`: the pure half. Parsing the command line (every bad option gets a
// message naming it), planning a boost, and explaining the bounds in force. src/cli/kubectl-
// scalingschedule.ts reads and patches the schedule around these.
import { parseArgs } from 'node:util';
import { evaluate, describeSource } from '../schedule/evaluate.js';
import {
  DAYS,
  LIMITS,
  parseDurationMs,
  type OverrideSpec,
  type ScalingScheduleSpec,
  type ScalingScheduleStatus,
} from '../schedule/schema.js';
import { isoWeekdayIndex, toLocal } from '../schedule/zoned-time.js';

export const USAGE = `Usage: kubectl scalingschedule <command> NAME [options] [-n NAMESPACE]

Commands:
  boost NAME --min N [--max N] --for DURATION   raise the bounds now, for a while (an expiring override)
  pause NAME                                    suspend the schedule (the HPA gets its own bounds back)
  resume NAME                                   resume it
  preview NAME [--from YYYY-MM-DD] [--svg FILE] [--price USD]
                                                a week of bounds, its cost, and an SVG chart
  explain NAME [--at RFC3339]                   why these bounds now, and what comes next

Options:
  -n, --namespace NAMESPACE   the schedule's namespace (default: the context's, else "default")
      --context NAME          kubeconfig context
  -h, --help                  this text`;

export type Command =
  | { kind: 'help' }
  | { kind: 'boost'; name: string; min: number; max?: number; forMs: number }
  | { kind: 'pause' | 'resume'; name: string }
  | { kind: 'preview'; name: string; from?: string; svg?: string; price?: number }
  | { kind: 'explain'; name: string; at?: Date };

export interface Parsed {
  command: Command;
  namespace?: string;
  context?: string;
}

export class UsageError extends Error {}

const MAX_BOOST_MS = 31 * 24 * 3_600_000;
const COMMANDS = ['boost', 'pause', 'resume', 'preview', 'explain'] as const;

function replicasOption(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || value < 1 || value > LIMITS.replicas)
    throw new UsageError(
      `--${option}: expected a whole number from 1 to ${LIMITS.replicas}, got "${raw}"`,
    );
  return value;
}

/** 2h, 90m, 1h30m, 45s, or 1d (a day of 24 hours). */
export function parseBoostDuration(raw: string): number {
  const days = /^([0-9]+)d$/.exec(raw);
  const ms = days
    ? Number(days[1]) * 24 * 3_600_000
    : raw === ''
      ? Number.NaN
      : parseDurationMs(raw);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new UsageError(`--for: expected a duration such as 2h, 90m or 1h30m, got "${raw}"`);
  if (ms > MAX_BOOST_MS) throw new UsageError(`--for: at most 31 days (744h), got "${raw}"`);
  return ms;
}

export function parseCommand(argv: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        namespace: { type: 'string', short: 'n' },
        context: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        min: { type: 'string' },
        max: { type: 'string' },
        for: { type: 'string' },
        from: { type: 'string' },
        svg: { type: 'string' },
        price: { type: 'string' },
        at: { type: 'string' },
      },
    });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--mni'"); keep them.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const common = {
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
  };
  if (values.help || positionals.length === 0) return { command: { kind: 'help' }, ...common };
  const [verb, name, ...extra] = positionals as [string, string | undefined, ...string[]];
  if (!(COMMANDS as readonly string[]).includes(verb))
    throw new UsageError(`unknown command "${verb}"; expected one of ${COMMANDS.join(', ')}`);
  if (!name) throw new UsageError(`${verb}: missing the schedule NAME`);
  if (extra.length > 0) throw new UsageError(`${verb}: unexpected argument "${extra[0]}"`);
  const allowed: Record<string, string[]> = {
    boost: ['min', 'max', 'for'],
    pause: [],
    resume: [],
    preview: ['from', 'svg', 'price'],
    explain: ['at'],
  };
  for (const option of ['min', 'max', 'for', 'from', 'svg', 'price', 'at'] as const) {
    if (values[option] !== undefined && !allowed[verb]!.includes(option))
      throw new UsageError(
        `${verb}: --${option} does not apply (it takes: ${allowed[verb]!.map((o) => `--${o}`).join(', ') || 'no options'})`,
      );
  }
  switch (verb) {
    case 'boost': {
      const min = replicasOption('min', values.min);
      if (min === undefined) throw new UsageError('boost: --min is required');
      if (values.for === undefined)
        throw new UsageError('boost: --for is required (e.g. --for 2h)');
      const max = replicasOption('max', values.max);
      if (max !== undefined && max < min)
        throw new UsageError(`--max (${max}) must be at least --min (${min})`);
      return {
        command: {
          kind: 'boost',
          name,
          min,
          ...(max !== undefined ? { max } : {}),
          forMs: parseBoostDuration(values.for),
        },
        ...common,
      };
    }
    case 'preview': {
      if (values.from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.from))
        throw new UsageError(`--from: expected YYYY-MM-DD, got "${values.from}"`);
      let price: number | undefined;
      if (values.price !== undefined) {
        price = Number(values.price);
        if (!Number.isFinite(price) || price < 0 || values.price.trim() === '')
          throw new UsageError(`--price: expected a non-negative number, got "${values.price}"`);
      }
      return {
        command: {
          kind: 'preview',
          name,
          ...(values.from !== undefined ? { from: values.from } : {}),
          ...(values.svg !== undefined ? { svg: values.svg } : {}),
          ...(price !== undefined ? { price } : {}),
        },
        ...common,
      };
    }
    case 'explain': {
      let at: Date | undefined;
      if (values.at !== undefined) {
        at = new Date(values.at);
        if (Number.isNaN(at.getTime()))
          throw new UsageError(
            `--at: expected a time such as 2026-06-10T12:00:00+02:00, got "${values.at}"`,
          );
      }
      return { command: { kind: 'explain', name, ...(at ? { at } : {}) }, ...common };
    }
    default:
      return { command: { kind: verb as 'pause' | 'resume', name }, ...common };
  }
}

const stamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The overrides after a boost: expired boosts dropped (they would only pile up), one override
 * from now for `forMs`. Refused, with the override it collides with, when it overlaps one.
 */
export function planBoost(
  spec: ScalingScheduleSpec,
  now: Date,
  boost: { min: number; max?: number; forMs: number },
): { overrides: OverrideSpec[]; added: OverrideSpec } {
  const from = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const until = new Date(from.getTime() + Math.ceil(boost.forMs / 1000) * 1000);
  const current = evaluate(spec, now);
  const added: OverrideSpec = {
    name: `boost-${stamp(from)
      .replace(/[-:TZ]/g, '')
      .slice(0, 14)}`,
    from: stamp(from),
    until: stamp(until),
    minReplicas: boost.min,
    maxReplicas: boost.max ?? Math.max(boost.min, current.maxReplicas),
  };
  const kept = spec.overrides.filter(
    (o) => !(o.name.startsWith('boost-') && Date.parse(o.until) <= now.getTime()),
  );
  const clash = kept.find(
    (o) => Date.parse(o.from) < until.getTime() && from.getTime() < Date.parse(o.until),
  );
  if (clash)
    throw new UsageError(
      `boost: overlaps override "${clash.name}" (${clash.from} to ${clash.until}); overrides may not overlap`,
    );
  if (kept.length + 1 > LIMITS.overrides)
    throw new UsageError(
      `boost: the schedule already has ${kept.length} overrides (at most ${LIMITS.overrides})`,
    );
  return { overrides: [...kept, added], added };
}

function localText(instant: Date, timeZone: string): string {
  const l = toLocal(instant.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[isoWeekdayIndex(l)]} ${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

function inText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}

/** Why these bounds at `now`, from the spec alone, then what the controller last reported. */
export function explain(
  target: {
    namespace: string;
    name: string;
    spec: ScalingScheduleSpec;
    status?: ScalingScheduleStatus;
  },
  now: Date,
): string {
  const { spec, status } = target;
  const e = evaluate(spec, now);
  const lines = [
    `ScalingSchedule ${target.namespace}/${target.name} → HorizontalPodAutoscaler ${spec.targetRef.name}`,
    `now: ${localText(now, spec.timeZone)} (${spec.timeZone})`,
  ];
  const bounds = `min ${e.minReplicas}, max ${e.maxReplicas}`;
  const a = e.active;
  if (a.kind === 'override') {
    const o = spec.overrides.find((x) => x.name === a.name)!;
    lines.push(`in force: override "${o.name}" from ${o.from} until ${o.until}: ${bounds}`);
  } else if (a.kind === 'window') {
    const w = spec.windows.find((x) => x.name === a.name)!;
    lines.push(
      `in force: window "${w.name}" (${w.days.join(',')} ${w.start}–${w.end}, priority ${w.priority}): ${w.replicas === 0 ? 'sleep (the Deployment at 0 replicas, the HPA idle)' : `min ${w.minReplicas}, max ${w.maxReplicas}`}`,
    );
  } else if (a.reason === 'exclusion') {
    const day = localText(now, spec.timeZone).slice(4, 14);
    const why = spec.exclusions.find((x) => x.date === day)?.reason;
    lines.push(
      `in force: default (${day} is excluded${why ? `: ${why}` : ''}): min ${spec.default.minReplicas}, max ${spec.default.maxReplicas}`,
    );
  } else {
    lines.push(
      `in force: default (no window covers this time): min ${spec.default.minReplicas}, max ${spec.default.maxReplicas}`,
    );
  }
  if (e.leadingInto)
    lines.push(
      `lead: raised to ${bounds} ahead of window "${e.leadingInto}" (leadTime ${spec.leadTime})`,
    );
  if (e.ramp)
    lines.push(
      `ramp: step ${e.ramp.step} of ${e.ramp.of}: ${bounds}, on the way to min ${e.ramp.target.minReplicas}, max ${e.ramp.target.maxReplicas}`,
    );
  if (spec.suspend) lines.push('suspended: the controller leaves the HPA at its own bounds');
  if (spec.dryRun)
    lines.push('dryRun: the controller reports these bounds but does not apply them');
  if (e.nextTransition) {
    const next = evaluate(spec, e.nextTransition);
    lines.push(
      `next: ${localText(e.nextTransition, spec.timeZone)} (in ${inText(e.nextTransition.getTime() - now.getTime())}) → ${describeSource(next)}: min ${next.minReplicas}, max ${next.maxReplicas}`,
    );
  } else lines.push('next: no change ahead');
  if (status) {
    const conditions = (status.conditions ?? [])
      .map(
        (c) =>
          `${c.type}=${c.status}${c.status === (c.type === 'Ready' || c.type === 'HPAInSync' ? 'True' : 'False') ? '' : ` (${c.reason}: ${c.message})`}`,
      )
      .join(', ');
    const applied = status.appliedBounds
      ? `applied min ${status.appliedBounds.minReplicas}, max ${status.appliedBounds.maxReplicas}`
      : 'nothing applied';
    const original =
      status.originalBounds?.minReplicas !== undefined
        ? `; originals min ${status.originalBounds.minReplicas}, max ${status.originalBounds.maxReplicas}`
        : '';
    const asleep = status.sleep
      ? `; Deployment ${status.sleep.deployment} asleep since ${status.sleep.since} (${status.sleep.replicasBefore} replicas to give back)`
      : '';
    lines.push(`controller: ${applied}${original}${asleep}${conditions ? `; ${conditions}` : ''}`);
  } else lines.push('controller: no status yet (is the controller running?)');
  return lines.join('\n');
}
