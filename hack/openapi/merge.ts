// The public API as one document: the /v1 operations of every routed service's document, each
// tagged with its service, and only the components they reach (so none is left unused).

type Json = Record<string, unknown>;

export interface ServiceSource {
  service: string;
  document: Json;
}

/** Every `#/components/<kind>/<name>` a value refers to, directly. */
function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/')) {
        found.add(child);
      } else {
        refsIn(child, found);
      }
    }
  }
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/**
 * Merges the services' documents into the public one. Two services declaring a component of the
 * same name must declare the same thing (the shared Problem, the security schemes); anything else
 * is an error naming both, never a silent overwrite.
 */
export function mergePublic(sources: ServiceSource[], info: Json): Json {
  const paths: Record<string, Json> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const owner = new Map<string, string>();
  const tags: Json[] = [];
  for (const { service, document } of sources) {
    const own = Object.entries((document.paths ?? {}) as Record<string, Json>).filter(([path]) =>
      path.startsWith('/v1/'),
    );
    if (own.length === 0) continue;
    const docInfo = document.info as Json;
    tags.push({ name: service, description: docInfo.description });
    const wanted = new Set<string>();
    for (const [path, item] of own) {
      if (paths[path]) throw new Error(`${path} is declared by ${service} and another service`);
      const tagged: Json = {};
      for (const [key, value] of Object.entries(item)) {
        tagged[key] = METHODS.includes(key) ? { tags: [service], ...(value as Json) } : value;
      }
      paths[path] = tagged;
      refsIn(tagged, wanted);
    }
    // Follow refs into components until nothing new is reached.
    const all = (document.components ?? {}) as Record<string, Record<string, unknown>>;
    const pending = [...wanted];
    const reached = new Set<string>();
    while (pending.length > 0) {
      const ref = pending.pop()!;
      if (reached.has(ref)) continue;
      reached.add(ref);
      const [, , kind, name] = ref.split('/') as [string, string, string, string];
      const value = all[kind]?.[name];
      if (value === undefined) throw new Error(`${service}: ${ref} is not declared`);
      const next = new Set<string>();
      refsIn(value, next);
      pending.push(...next);
      const key = `${kind}/${name}`;
      const existing = components[kind]?.[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(value)) {
        throw new Error(`${service} and ${owner.get(key)} both declare ${ref}, differently`);
      }
      (components[kind] ??= {})[name] = value;
      if (!owner.has(key)) owner.set(key, service);
    }
    // Security schemes are named by requirements, not $refs.
    const schemes = (all.securitySchemes ?? {}) as Record<string, unknown>;
    for (const [path, item] of own) {
      for (const method of METHODS) {
        const operation = item[method] as { security?: Array<Record<string, unknown>> } | undefined;
        for (const requirement of operation?.security ?? []) {
          for (const name of Object.keys(requirement)) {
            if (!schemes[name]) throw new Error(`${service} ${path}: no security scheme ${name}`);
            (components.securitySchemes ??= {})[name] = schemes[name];
          }
        }
      }
    }
  }
  const sortedComponents = Object.fromEntries(
    Object.entries(components)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, values]) => [
        kind,
        Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))),
      ]),
  );
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/', description: 'The gateway that serves this document' }],
    tags,
    paths,
    components: sortedComponents,
  };
}
