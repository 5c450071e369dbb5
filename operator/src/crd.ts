// The CustomResourceDefinition, derived from the zod schema in schedule/schema.ts (the one
// source): `npm run gen-crd` writes it to config/crd/, deploy/manifests.ts ships it.
import type { V1CustomResourceDefinition, V1JSONSchemaProps } from '@kubernetes/client-node';
import { z } from 'zod';
import {
  API_GROUP,
  API_VERSION,
  calendarSpecSchema,
  CALENDAR_KIND,
  CALENDAR_PLURAL,
  KIND,
  PLURAL,
  specSchema,
  statusSchema,
} from './schedule/schema.js';

type JsonSchema = Record<string, unknown>;

// Structural-schema rules of the API server: no additionalProperties beside properties (unknown
// fields are pruned instead), no JSON-Schema bookkeeping keys.
function toStructural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toStructural);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'id') continue;
    if (key === 'additionalProperties' && value === false) continue;
    out[key] =
      key === 'x-kubernetes-validations' || key === 'enum' || key === 'required'
        ? value
        : toStructural(value);
  }
  return out;
}

function openApi(schema: z.ZodType): V1JSONSchemaProps {
  return toStructural(
    z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }),
  ) as V1JSONSchemaProps;
}

interface CrdShape {
  plural: string;
  kind: string;
  singular: string;
  shortName: string;
  description: string;
  columns: NonNullable<
    V1CustomResourceDefinition['spec']['versions'][number]['additionalPrinterColumns']
  >;
  properties: Record<string, V1JSONSchemaProps>;
  status?: boolean;
}

/** One CRD of the operator's group: one served and stored version, schema from the zod schemas. */
function crdOf(shape: CrdShape): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${shape.plural}.${API_GROUP}`,
      labels: {
        'app.kubernetes.io/part-of': 'tourkit',
        'app.kubernetes.io/component': 'scaling-schedule',
      },
    },
    spec: {
      group: API_GROUP,
      scope: 'Namespaced',
      names: {
        kind: shape.kind,
        listKind: `${shape.kind}List`,
        plural: shape.plural,
        singular: shape.singular,
        shortNames: [shape.shortName],
        categories: ['tourkit'],
      },
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          ...(shape.status ? { subresources: { status: {} } } : {}),
          additionalPrinterColumns: shape.columns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: shape.description,
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                ...shape.properties,
              },
            },
          },
        },
      ],
    },
  };
}

export function scalingScheduleCrd(): V1CustomResourceDefinition {
  return crdOf({
    plural: PLURAL,
    kind: KIND,
    singular: 'scalingschedule',
    shortName: 'ssched',
    description: 'Weekly minReplicas/maxReplicas of one HorizontalPodAutoscaler.',
    status: true,
    columns: [
      { name: 'Target', type: 'string', jsonPath: '.spec.targetRef.name' },
      { name: 'Window', type: 'string', jsonPath: '.status.activeWindow' },
      { name: 'Min', type: 'integer', jsonPath: '.status.appliedBounds.minReplicas' },
      { name: 'Max', type: 'integer', jsonPath: '.status.appliedBounds.maxReplicas' },
      {
        name: 'Asleep',
        type: 'string',
        jsonPath: '.status.sleep.deployment',
        description: 'Deployment a sleep window holds at zero replicas',
      },
      {
        name: 'Next',
        type: 'date',
        jsonPath: '.status.nextTransition',
        description: 'Next change of bounds',
      },
      {
        name: 'Ready',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    properties: { spec: openApi(specSchema), status: openApi(statusSchema) },
  });
}

export function scalingCalendarCrd(): V1CustomResourceDefinition {
  return crdOf({
    plural: CALENDAR_PLURAL,
    kind: CALENDAR_KIND,
    singular: 'scalingcalendar',
    shortName: 'scal',
    description:
      'Dated events (overrides) and holidays (exclusions) shared by the ScalingSchedules of a namespace that name it in spec.calendarRef.',
    columns: [
      { name: 'Holidays', type: 'string', jsonPath: '.spec.holidays[*].date' },
      { name: 'Events', type: 'string', jsonPath: '.spec.events[*].name' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    properties: { spec: openApi(calendarSpecSchema) },
  });
}

/** Every CRD of the operator, in the order they are installed. */
export function operatorCrds(): V1CustomResourceDefinition[] {
  return [scalingScheduleCrd(), scalingCalendarCrd()];
}
