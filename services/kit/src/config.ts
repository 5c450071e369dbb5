import { z } from 'zod';

/** Raised when the environment does not satisfy a service's config schema; names every bad variable. */
export class ConfigError extends Error {
  readonly problems: ReadonlyArray<{ variable: string; message: string }>;

  constructor(problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service understands (CONTRIBUTING.md); a service's own shape may override any of them. */
export const baseConfigShape = {
  SERVICE_NAME: z.string().min(1).default('tourkit-service'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * Address to listen on: every interface in a container (the kubelet probes and the Service reach the
   * pod's IP); `make dev` sets 127.0.0.1 so a laptop's services are not open to its network.
   */
  HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('0.0.0.0'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(0),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(25),
  BODY_LIMIT: z.string().default('100kb'),
};

/** Reusable field builders for the variables the services share. */
export const env = {
  /** A URL with a default (e.g. DATABASE_URL, CATALOG_URL). */
  url: (defaultValue?: string) =>
    defaultValue === undefined ? z.url() : z.url().default(defaultValue),
  /** A PEM key; accepts `\n` escapes so a key fits in one env line. */
  pem: () =>
    z
      .string()
      .transform((value) => value.replace(/\\n/g, '\n').trim())
      .refine(
        (value) => /^-----BEGIN [A-Z ]+-----/.test(value),
        'must be a PEM block (-----BEGIN ...)',
      ),
  /** "true"/"false"/"1"/"0"/"yes"/"no". */
  boolean: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(defaultValue ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  int: (defaultValue: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(defaultValue),
  secret: () => z.string().min(16, 'must be at least 16 characters'),
};

/**
 * Variables of a service that owns a Postgres database: `DATABASE_URL` (required unless the service gives its
 * local default), `RUN_MIGRATIONS` (apply pending migrations at start-up; off when a Job runs them) and
 * `DB_POOL_MAX` (connections per pool and replica).
 */
export function databaseConfigShape(defaultDatabaseUrl?: string) {
  return {
    DATABASE_URL: env.url(defaultDatabaseUrl),
    RUN_MIGRATIONS: env.boolean(true),
    DB_POOL_MAX: env.int(10, 1, 1000),
  };
}

/** Variables of a service that verifies access tokens (the user service issues them). */
export const tokenVerifierConfigShape = {
  /** SPKI PEM of the user service's signing key (`\n` escapes accepted). */
  JWT_PUBLIC_KEY: env.pem(),
  JWT_ISSUER: z.string().min(1).default('tourkit-user'),
  JWT_AUDIENCE: z.string().min(1).default('tourkit'),
};

/** `INTERNAL_TOKEN`: the shared secret of `/internal/*` endpoints (header `x-internal-token`). */
export const internalTokenShape = {
  INTERNAL_TOKEN: env.secret(),
};

/** `SEED_DEMO_DATA`: fill an empty database with demo rows at start-up (`make dev`); off by default. */
export const demoDataShape = {
  SEED_DEMO_DATA: env.boolean(false),
};

/** The base schema merged with the service's own shape. */
export function defineConfig<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ ...baseConfigShape, ...shape });
}

export type BaseConfig = z.output<z.ZodObject<typeof baseConfigShape>>;

/** The variables `databaseConfigShape` adds, parsed. */
export type DatabaseConfig = z.output<z.ZodObject<ReturnType<typeof databaseConfigShape>>>;

/** Validates `env` against `schema`; empty strings count as unset (a blank k8s value means "use the default"). */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  environment: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)',
      message: issue.message,
    })),
  );
}
