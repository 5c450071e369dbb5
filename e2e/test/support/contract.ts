import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { API_SERVICES } from '@tourkit/cdk8s/service-list';

// The contract check of every response the end-to-end tests see: its operation (method and path
// template) must document its status and content type, and a JSON body must match the documented
// schema. Calls through the gateway are checked against the public document the gateway serves
// (services/gateway/public-openapi.json); calls straight to a service against that service's
// document (services/<svc>/openapi.yaml). Both are what hack/openapi/generate.ts writes.

type Json = Record<string, unknown>;

interface Operation {
  template: string;
  /** Path parameters in the template: a literal path wins over a template (/users/me, /users/{id}). */
  params: number;
  pattern: RegExp;
  method: string;
  responses: Record<string, Json>;
  /** Pointer to the operation in the document, for $refs. */
  pointer: string;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const repo = new URL('../../../', import.meta.url);

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

// ajv-formats is CommonJS with a default export; under ESM the function may sit on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

class Document {
  readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly name: string,
    private readonly document: Json,
    private readonly ajv: Ajv2020,
  ) {
    ajv.addSchema(document, this.id);
    for (const [template, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) =>
          part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
        )
        .join('');
      for (const method of METHODS) {
        const operation = item[method] as { responses?: Record<string, Json> } | undefined;
        if (!operation) continue;
        this.operations.push({
          template,
          params: (template.match(/\{/g) ?? []).length,
          pattern: new RegExp(`^${source}$`),
          method: method.toUpperCase(),
          responses: operation.responses ?? {},
          pointer: `#/paths/${escapePointer(template)}/${method}`,
        });
      }
    }
    this.operations.sort((a, b) => a.params - b.params);
  }

  private get id(): string {
    return `https://contract.tourkit.test/${this.name}.json`;
  }

  find(method: string, path: string): Operation | undefined {
    return this.operations.find((o) => o.method === method && o.pattern.test(path));
  }

  /** A response object, its $ref followed (components/responses). */
  private resolve(response: Json): Json {
    const ref = response.$ref;
    if (typeof ref !== 'string') return response;
    return ref
      .slice(2)
      .split('/')
      .reduce<Json>(
        (node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')] as Json,
        this.document,
      );
  }

  validator(operation: Operation, status: string, mediaType: string): ValidateFunction {
    const key = `${operation.pointer}/responses/${status}/${mediaType}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const response = operation.responses[status]!;
      const pointer =
        typeof response.$ref === 'string'
          ? `${response.$ref}/content/${escapePointer(mediaType)}/schema`
          : `${operation.pointer}/responses/${status}/content/${escapePointer(mediaType)}/schema`;
      validate = this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.validators.set(key, validate);
    }
    return validate;
  }

  content(operation: Operation, status: string): Record<string, unknown> | undefined {
    return this.resolve(operation.responses[status]!).content as
      Record<string, unknown> | undefined;
  }
}

export interface SeenResponse {
  method: string;
  /** The path as requested (a query, if any, is ignored). */
  path: string;
  status: number;
  contentType: string;
  /** The body: parsed JSON when the content type is JSON, else the text. */
  body: unknown;
}

export class Contract {
  private constructor(private readonly documents: Map<string, Document>) {}

  /** The documents as generated in this tree: `gateway` is the public one the gateway serves. */
  static load(): Contract {
    const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: false });
    addFormats(ajv);
    const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, repo)), 'utf8');
    const documents = new Map<string, Document>();
    documents.set(
      'gateway',
      new Document(
        'gateway',
        JSON.parse(read('services/gateway/public-openapi.json')) as Json,
        ajv,
      ),
    );
    // Each API service's own document; the gateway's is the public one above.
    for (const { name: service } of API_SERVICES.filter((s) => s.name !== 'gateway')) {
      const text = read(`services/${service}/openapi.yaml`);
      documents.set(service, new Document(service, parse(text) as Json, ajv));
    }
    return new Contract(documents);
  }

  /**
   * What is wrong with a response by the document of `service` (`gateway`: the public API), or
   * undefined. Paths outside /v1 and /internal (probes, /metrics, /docs) are no operation of the
   * contract and pass; a /v1 or /internal path that no operation declares does not. `template`
   * names the operation outright (the fuzzer knows which one it aimed at, whatever the path).
   */
  violation(service: string, response: SeenResponse, template?: string): string | undefined {
    const document = this.documents.get(service);
    if (!document) return undefined;
    const path = response.path.split('?')[0]!;
    if (template === undefined && !/^\/(v1|internal)\//.test(path)) return undefined;
    const what = `${response.method} ${template ?? path} → ${response.status}`;
    const operation =
      template === undefined
        ? document.find(response.method, path)
        : document.operations.find((o) => o.method === response.method && o.template === template);
    if (!operation) return `${what}: no operation of ${service}'s document matches`;
    const status = String(response.status);
    const documented =
      operation.responses[status] !== undefined
        ? status
        : operation.responses[`${status[0]}XX`] !== undefined
          ? `${status[0]}XX`
          : undefined;
    if (!documented) {
      return `${what}: status not documented for ${operation.method} ${operation.template} in ${service}'s document (documented: ${Object.keys(operation.responses).join(', ')})`;
    }
    const content = document.content(operation, documented);
    const mediaType = response.contentType.split(';')[0]!.trim().toLowerCase();
    if (!content) {
      return mediaType === '' || response.body === ''
        ? undefined
        : `${what}: a ${mediaType} body where the document declares none`;
    }
    if (!(mediaType in content)) {
      return `${what}: content-type "${mediaType}", documented: ${Object.keys(content).join(', ')}`;
    }
    if (!/json/.test(mediaType)) return undefined;
    const validate = document.validator(operation, documented, mediaType);
    if (validate(response.body)) return undefined;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
      .join('; ');
    return `${what}: body does not match ${operation.method} ${operation.template} ${documented} ${mediaType}: ${errors}; body ${JSON.stringify(response.body).slice(0, 400)}`;
  }
}

let shared: Contract | undefined;

/** One Contract per test process (documents parsed and schemas compiled once). */
export function contract(): Contract {
  shared ??= Contract.load();
  return shared;
}
