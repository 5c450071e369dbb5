#!/usr/bin/env node
// kubectl-scalingschedule: the kubectl plugin (`kubectl scalingschedule ...` once on PATH).
// Reads the schedule, decides with src/plugin/commands.ts, writes one merge patch guarded by the
// resourceVersion it read (a concurrent edit fails the patch instead of being overwritten).
import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { CALENDAR_GVR, GVR, type ScheduleObject } from '../controller/resource.js';
import {
  explain,
  parseCommand,
  planBoost,
  USAGE,
  UsageError,
  type Parsed,
} from '../plugin/commands.js';
import { renderCost, renderSvg, renderTable, summarizeWeek, weekStart } from '../preview/week.js';
import { withCalendar } from '../schedule/evaluate.js';
import type { ScalingScheduleSpec } from '../schedule/schema.js';
import { describeErrors, validateCalendarSpec, validateSpec } from '../schedule/validate.js';
import { parseLocalDate } from '../schedule/zoned-time.js';

const DEFAULT_PRICE_PER_INSTANCE_HOUR = 0.03; // as `make preview`
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function main(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const { command } = parsed;
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (parsed.context) {
    if (!kc.getContexts().some((c) => c.name === parsed.context)) {
      console.error(`error: --context: no context "${parsed.context}" in the kubeconfig`);
      return 2;
    }
    kc.setCurrentContext(parsed.context);
  }
  const namespace =
    parsed.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const api = kc.makeApiClient(CustomObjectsApi);
  let schedule: ScheduleObject;
  try {
    schedule = (await api.getNamespacedCustomObject({
      ...GVR,
      namespace,
      name: command.name,
    })) as ScheduleObject;
  } catch (error) {
    if ((error as { code?: number }).code === 404) {
      console.error(
        `error: ScalingSchedule "${command.name}" not found in namespace "${namespace}"`,
      );
      return 1;
    }
    throw error;
  }
  const validation = validateSpec(schedule.spec);
  if (!validation.ok) {
    console.error(
      `error: ScalingSchedule ${namespace}/${command.name} is invalid:\n${describeErrors(validation.errors)}`,
    );
    return 1;
  }
  const spec = validation.value;
  /** What the controller plans from (preview, explain): the schedule with its calendar folded in. */
  const planned = async (): Promise<ScalingScheduleSpec | undefined> => {
    const ref = spec.calendarRef?.name;
    if (!ref) return spec;
    let calendar: { spec?: unknown };
    try {
      calendar = (await api.getNamespacedCustomObject({
        ...CALENDAR_GVR,
        namespace,
        name: ref,
      })) as { spec?: unknown };
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
      console.error(`error: ScalingCalendar "${ref}" not found in namespace "${namespace}"`);
      return undefined;
    }
    const checked = validateCalendarSpec(calendar.spec);
    if (!checked.ok) {
      console.error(
        `error: ScalingCalendar ${namespace}/${ref} is invalid:\n${describeErrors(checked.errors)}`,
      );
      return undefined;
    }
    return withCalendar(spec, { name: ref, spec: checked.value });
  };
  const patch = (body: object) =>
    api.patchNamespacedCustomObject(
      {
        ...GVR,
        namespace,
        name: command.name,
        fieldManager: 'kubectl-scalingschedule',
        body: { metadata: { resourceVersion: schedule.metadata?.resourceVersion }, ...body },
      },
      mergePatch,
    );

  switch (command.kind) {
    case 'boost': {
      let plan;
      try {
        plan = planBoost(spec, new Date(), command);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        console.error(`error: ${error.message}`);
        return 1;
      }
      await patch({ spec: { overrides: plan.overrides } });
      const a = plan.added;
      console.log(
        `scalingschedule/${command.name} boosted: min ${a.minReplicas}, max ${a.maxReplicas} from ${a.from} until ${a.until} (override ${a.name})`,
      );
      return 0;
    }
    case 'pause':
    case 'resume': {
      const suspend = command.kind === 'pause';
      if (spec.suspend === suspend) {
        console.log(`scalingschedule/${command.name} already ${suspend ? 'paused' : 'running'}`);
        return 0;
      }
      await patch({ spec: { suspend } });
      console.log(
        `scalingschedule/${command.name} ${suspend ? 'paused: the HPA gets its original bounds back' : 'resumed'}`,
      );
      return 0;
    }
    case 'preview': {
      const spec = await planned();
      if (!spec) return 1;
      const start = weekStart(spec, command.from ? parseLocalDate(command.from) : new Date());
      const summary = summarizeWeek(spec, start);
      console.log(
        `ScalingSchedule ${namespace}/${command.name} → HorizontalPodAutoscaler ${spec.targetRef.name}\n`,
      );
      console.log(renderTable(spec, summary));
      console.log(`\n${renderCost(summary, command.price ?? DEFAULT_PRICE_PER_INSTANCE_HOUR)}`);
      if (command.svg) {
        writeFileSync(command.svg, renderSvg(spec, summary, `ScalingSchedule ${command.name}`));
        console.log(`\nchart: ${command.svg}`);
      }
      return 0;
    }
    case 'explain': {
      const spec = await planned();
      if (!spec) return 1;
      console.log(
        explain(
          {
            namespace,
            name: command.name,
            spec,
            ...(schedule.status ? { status: schedule.status } : {}),
          },
          command.at ?? new Date(),
        ),
      );
      return 0;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const e = error as { code?: number; body?: unknown; message?: string };
    const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
    const message = /"message":"([^"]+)"/.exec(body)?.[1] ?? e.message ?? String(error);
    console.error(`error: ${message}`);
    process.exit(1);
  },
);
