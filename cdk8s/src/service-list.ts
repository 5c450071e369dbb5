/**
 * The one list of services, services/services.json, read and checked once. cdk8s' tables, the chart's
 * values schema, the e2e platform, the OpenAPI generator and the cluster tests build their lists from
 * it; `make images` and `make dev` read the same file with node.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The file, from this module's place in the tree (cdk8s/src or cdk8s/dist: both two levels down). */
export const SERVICE_LIST_FILE = fileURLToPath(
  new URL('../../services/services.json', import.meta.url),
);

const entry = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name, as its folder under services/'),
  port: z.int().min(1).max(65535),
  database: z.boolean(),
  frontEnd: z.boolean().optional(),
});

export type ServiceEntry = z.infer<typeof entry>;

const file = z.looseObject({
  services: z
    .array(entry)
    .min(1)
    .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'a name twice')
    .refine((list) => new Set(list.map((s) => s.port)).size === list.length, 'a port twice'),
});

/** Parses the list's text; a bad entry is an error naming the file and the field. */
export function parseServiceList(text: string, source = SERVICE_LIST_FILE): ServiceEntry[] {
  const parsed = file.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source}: ${issues.join('; ')}`);
  }
  return parsed.data.services;
}

/** The services in start order (`make dev`, e2e), with their local port and whether they own a database. */
export const SERVICE_LIST: readonly ServiceEntry[] = parseServiceList(
  readFileSync(SERVICE_LIST_FILE, 'utf8'),
);

export type ServiceName = string;

/** Every service's name, in the list's order. */
export const SERVICE_NAMES: readonly ServiceName[] = SERVICE_LIST.map((s) => s.name);

/** The services of the API platform: all but the browser front end (which calls it through the gateway). */
export const API_SERVICES: readonly ServiceEntry[] = SERVICE_LIST.filter((s) => !s.frontEnd);
