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

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

/** What the gateway itself may answer on any /v1 operation, before or instead of the service. */
const GATEWAY_RESPONSES: Record<string, Json> = {
  GatewayNoRoute: {
    description:
      'A path the gateway refuses to forward (dot segments, encoded slashes or dots) or no service owns (not-found)',
    content: problemContent,
  },
  GatewayUnauthorized: {
    description:
      'No valid bearer token on a protected route (unauthorized), checked by the gateway',
    content: problemContent,
  },
  GatewayBodyTooLarge: {
    description: "A body over the gateway's BODY_LIMIT (payload-too-large)",
    content: problemContent,
  },
  GatewayRateLimited: {
    description:
      'Over the per-client limit per minute (rate-limited); Retry-After says when to come back',
    headers: {
      'Retry-After': {
        description: 'Seconds until the window resets',
        schema: { type: 'integer' },
      },
    },
    content: problemContent,
  },
  GatewayUpstreamFailed: {
    description: 'The service is unreachable or failed (upstream-failed)',
    content: problemContent,
  },
  GatewayUpstreamTimeout: {
    description: 'The service did not answer within UPSTREAM_TIMEOUT_MS (upstream-timeout)',
    content: problemContent,
  },
};

/**
 * The public document as a client meets it: each operation also lists what the gateway answers on
 * its own (no route, no token, body too large, rate limit, service down), where the service's
 * document does not already say it.
 */
export function withGatewayResponses(document: Json): Json {
  const paths = document.paths as Record<string, Record<string, Json>>;
  const used = new Set<string>();
  const ref = (name: string) => {
    used.add(name);
    return { $ref: `#/components/responses/${name}` };
  };
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method] as
        | { responses: Json; requestBody?: unknown; security?: Array<Record<string, unknown>> }
        | undefined;
      if (!operation) continue;
      const add = (status: string, name: string) => {
        if (operation.responses[status] === undefined) operation.responses[status] = ref(name);
      };
      if (path.includes('{')) add('404', 'GatewayNoRoute');
      if (operation.security?.some((requirement) => 'bearer' in requirement))
        add('401', 'GatewayUnauthorized');
      if (operation.requestBody) add('413', 'GatewayBodyTooLarge');
      add('429', 'GatewayRateLimited');
      add('502', 'GatewayUpstreamFailed');
      add('504', 'GatewayUpstreamTimeout');
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  const components = document.components as Record<string, Json>;
  components.responses = {
    ...components.responses,
    ...Object.fromEntries(Object.entries(GATEWAY_RESPONSES).filter(([name]) => used.has(name))),
  };
  return document;
}
