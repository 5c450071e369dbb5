import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  closedPort,
  createTestAuth,
  createTestDatabase,
  dropTestDatabase,
  testDatabaseName,
  testRedisUrl,
} from '@tourkit/kit/testing';
import { API_SERVICES, type ServiceName } from '@tourkit/cdk8s/service-list';
import { startSmtpCapture, type SmtpCapture } from '@tourkit/mail-catcher';
import { eventually } from './eventually.js';
import { jsonClient, type JsonClient } from './http.js';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The services in start order, and which own a database: the API platform of services/services.json,
 * the one list (services/web's tests add the front end).
 */
export const SERVICES: readonly ServiceName[] = API_SERVICES.map((s) => s.name);
const WITH_DATABASE: readonly ServiceName[] = API_SERVICES.filter((s) => s.database).map(
  (s) => s.name,
);
export const SUPPORT_EMAIL = 'support@e2e.tourkit.test';
export const MESSAGE_ID_DOMAIN = 'e2e.tourkit.test';

// Seven services starting at once on two cores that other test files share took 50 s and more
// to migrate in loaded CI runs: a slow start is waited for (a hung one still ends), not failed.
const READY_TIMEOUT_MS = 150_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_TAIL_LINES = 40;
const LOG_LINE_CHARS = 600;

/**
 * Test-sized timings: retries, leases and sweeps on a test's time scale, the same shape as in
 * production. Each scenario may override any of them.
 */
export const TEST_TIMINGS: Record<ServiceName, Record<string, string>> = {
  catalog: {},
  user: {},
  payment: {},
  booking: {
    OUTBOX_INTERVAL_MS: '200',
    OUTBOX_RETRY_BASE_MS: '200',
    EXPIRY_SWEEP_INTERVAL_MS: '1000',
    REQUEUE_INTERVAL_MS: '1000',
  },
  notification: {
    SEND_BACKOFF_MS: '200',
    SMTP_TIMEOUT_MS: '5000',
    SEND_LEASE_MS: '10000',
    QUEUE_LOCK_MS: '2000',
    QUEUE_STALLED_INTERVAL_MS: '1000',
    RECOVERY_INTERVAL_MS: '1000',
  },
  review: { OUTBOX_POLL_MS: '200', OUTBOX_RETRY_BASE_MS: '200' },
  gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
};

export interface PlatformOptions {
  /** Extra or overriding variables per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** A Redis of the test's own (the fault suite's private server) instead of REDIS_URL. */
  redisUrl?: string;
  /**
   * A Postgres server of the test's own (its `postgres` database URL) instead of the shared one:
   * the services' databases are created there.
   */
  databaseAdminUrl?: string;
  /** How long a service may take to answer /readyz 200 at each start (default 60 s). */
  readyTimeoutMs?: number;
}

export interface Platform {
  readonly name: string;
  readonly url: Readonly<Record<ServiceName, string>>;
  readonly internalToken: string;
  readonly smtp: SmtpCapture;
  readonly logDir: string;
  /** Each service's DATABASE_URL (services that own a database). */
  readonly databaseUrl: Readonly<Record<ServiceName, string>>;
  /** The public entry point, as a traveller reaches it. */
  readonly gateway: JsonClient;
  /** The environment a service is started with (the test's bounds derive from it). */
  env(service: ServiceName): Readonly<Record<string, string>>;
  /** A service's own API with the internal token (service-to-service calls, operator set-up). */
  internal(service: ServiceName): JsonClient;
  /** Starts (or restarts) a service and waits until its /readyz answers 200. */
  start(service: ServiceName): Promise<void>;
  /** Whether the service's process is alive (a crash shows here, and in `unexpectedExits`). */
  running(service: ServiceName): boolean;
  /** The process id of a running service (the bench reads its memory in /proc). */
  pid(service: ServiceName): number | undefined;
  /** Every exit the test did not ask for so far ("booking (pid …) exited: code 1, …"). */
  readonly unexpectedExits: readonly string[];
  /** Sends `signal` to a service and waits for its process to exit. */
  kill(service: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Prints the tail of every service's log (and where the full logs are) to stderr. */
  printLogs(reason: string): void;
  /** Stops every child, drops the databases and the run's Redis keys; keeps the logs if anything failed. */
  stop(): Promise<void>;
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
  expectedExit: boolean;
}

/**
 * The whole platform as seven real processes (`node services/<svc>/dist/main.js`, so `tsc -b`
 * must have run: `npm test` does) against fresh databases `tourkit_e2e_<name>_<svc>_test`, the
 * local Redis under a prefix of this run, and a real SMTP server in this process. Ports are free
 * ports picked now; logs go to `<tmp>/tourkit-e2e-<name>-*\/<svc>.log`.
 */
export async function startPlatform(
  name: string,
  options: PlatformOptions = {},
): Promise<Platform> {
  const unbuilt = SERVICES.filter((s) => !existsSync(path.join(REPO_ROOT, mainOf(s))));
  if (unbuilt.length > 0) {
    throw new Error(
      `not built: ${unbuilt.map(mainOf).join(', ')} (run \`npx tsc -b\` or \`npm test\`)`,
    );
  }
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const databases = databaseServer(options.databaseAdminUrl);
  const logDir = mkdtempSync(path.join(tmpdir(), `tourkit-e2e-${name}-`));
  const runPrefix = `tourkit-e2e:${name}:${randomUUID()}`;
  const internalToken = `e2e-internal-${randomUUID()}`;
  const auth = createTestAuth();
  const smtp = await startSmtpCapture();
  const ports = await distinctFreePorts(SERVICES.length);
  const url = Object.fromEntries(
    SERVICES.map((service, i) => [service, `http://127.0.0.1:${ports[i]}`]),
  ) as Record<ServiceName, string>;
  /** The base URL of a service of the list; a name not on it is a mistake in the test. */
  const urlOf = (service: ServiceName): string => {
    const found = url[service];
    if (found === undefined) throw new Error(`${service} is not in services/services.json`);
    return found;
  };
  const databaseUrls = new Map<ServiceName, string>();
  const children = new Map<ServiceName, Child>();
  const unexpectedExits: string[] = [];
  let failed = false;

  const killAllNow = () => {
    for (const child of children.values()) child.process.kill('SIGKILL');
  };
  // Even if jest tears the worker down without running afterAll, no service outlives the test.
  process.once('exit', killAllNow);

  const envFor = (service: ServiceName): Record<string, string> => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      SERVICE_NAME: service,
      PORT: new URL(urlOf(service)).port,
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_SECONDS: '0',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
      INTERNAL_TOKEN: internalToken,
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      JWT_ISSUER: auth.issuer,
      JWT_AUDIENCE: auth.audience,
      REDIS_URL: redisUrl,
      SUPPORT_EMAIL,
      PUBLIC_URL: urlOf('gateway'),
      ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, urlOf(s)])),
    };
    const database = databaseUrls.get(service);
    if (database) {
      env.DATABASE_URL = database;
      // Seven services per test file on one shared Postgres: small pools keep clear of max_connections.
      env.DB_POOL_MAX = '4';
    }
    if (service === 'user') env.JWT_PRIVATE_KEY = auth.privateKeyPem;
    if (service === 'catalog') env.CACHE_PREFIX = `${runPrefix}:catalog:`;
    if (service === 'booking') {
      env.QUEUE_PREFIX = `${runPrefix}:booking`;
      env.PAYMENT_LINK_SECRET = `${runPrefix}:payment-link-secret:0123456789abcdef`;
    }
    if (service === 'gateway') env.RATE_LIMIT_PREFIX = `${runPrefix}:gateway:rl:`;
    if (service === 'notification') {
      env.QUEUE_PREFIX = `${runPrefix}:notification`;
      env.SMTP_URL = smtp.url;
      env.MESSAGE_ID_DOMAIN = MESSAGE_ID_DOMAIN;
    }
    return { ...env, ...TEST_TIMINGS[service], ...options.env?.[service] };
  };

  const logFile = (service: ServiceName) => path.join(logDir, `${service}.log`);

  const spawnService = (service: ServiceName): Child => {
    const fd = openSync(logFile(service), 'a');
    writeSync(fd, `--- e2e: starting ${service} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, ['--enable-source-maps', mainOf(service)], {
      cwd: REPO_ROOT,
      env: envFor(service),
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const entry: Child = {
      process: child,
      expectedExit: false,
      exited: new Promise<void>((resolve) => {
        child.once('exit', (code, signal) => {
          if (!entry.expectedExit) {
            unexpectedExits.push(
              `${service} (pid ${child.pid}) exited: code ${code}, signal ${signal}`,
            );
          }
          resolve();
        });
      }),
    };
    children.set(service, entry);
    return entry;
  };

  const start = async (service: ServiceName) => {
    const running = children.get(service);
    if (running && isRunning(running)) throw new Error(`${service} is already running`);
    const child = spawnService(service);
    const startUp = new AbortController();
    const ready = eventually(
      `${service} to be ready at ${urlOf(service)}/readyz`,
      async () => (await fetch(`${urlOf(service)}/readyz`)).status === 200,
      {
        timeoutMs: options.readyTimeoutMs ?? READY_TIMEOUT_MS,
        intervalMs: 200,
        signal: startUp.signal,
      },
    );
    const died = child.exited.then(() => {
      throw new Error(`${service} exited during start-up (see ${logFile(service)})`);
    });
    // Whichever loses the race settles later; it must not surface as an unhandled rejection.
    ready.catch(() => undefined);
    died.catch(() => undefined);
    try {
      await Promise.race([ready, died]);
    } finally {
      startUp.abort();
    }
  };

  const kill = async (service: ServiceName, signal: NodeJS.Signals = 'SIGKILL') => {
    const child = children.get(service);
    if (!child || !isRunning(child)) return;
    child.expectedExit = true;
    child.process.kill(signal);
    await child.exited;
  };

  const printLogs = (reason: string) => {
    failed = true;
    const lines = [`\n===== e2e ${name}: ${reason}`, `logs: ${logDir}`];
    if (unexpectedExits.length > 0) lines.push(`unexpected exits: ${unexpectedExits.join('; ')}`);
    for (const service of SERVICES) {
      let text = '';
      try {
        text = readFileSync(logFile(service), 'utf8');
      } catch {
        text = '(no log)';
      }
      const tail = text.trimEnd().split('\n').slice(-LOG_TAIL_LINES);
      lines.push(`----- ${service} (last ${tail.length} lines)`);
      lines.push(...tail.map((line) => line.slice(0, LOG_LINE_CHARS)));
    }
    lines.push(`----- smtp: ${smtp.messages.length} messages received`);
    process.stderr.write(`${lines.join('\n')}\n`);
  };

  const stopAll = async () => {
    await Promise.all(
      [...children.keys()].map(async (service) => {
        const child = children.get(service)!;
        if (!isRunning(child)) return;
        child.expectedExit = true;
        child.process.kill('SIGTERM');
        const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await child.exited;
        clearTimeout(timer);
      }),
    );
  };

  const stop = async () => {
    await stopAll();
    process.removeListener('exit', killAllNow);
    await smtp.stop();
    if (unexpectedExits.length > 0 && !failed) printLogs('a service exited unexpectedly');
    await Promise.all(
      WITH_DATABASE.map((service) =>
        databases.drop(databaseName(name, service)).catch(() => undefined),
      ),
    );
    await deleteRedisKeys(redisUrl, `${runPrefix}:*`).catch(() => undefined);
    // TOURKIT_E2E_KEEP_LOGS=1 keeps them after a passing run too (to read how a fault unfolded).
    if (!failed && process.env.TOURKIT_E2E_KEEP_LOGS !== '1')
      rmSync(logDir, { recursive: true, force: true });
  };

  try {
    await Promise.all(
      WITH_DATABASE.map(async (service) => {
        databaseUrls.set(service, await databases.create(databaseName(name, service)));
      }),
    );
    await Promise.all(SERVICES.map((service) => start(service)));
  } catch (error) {
    printLogs(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop();
    throw error;
  }

  return {
    name,
    url,
    internalToken,
    smtp,
    logDir,
    databaseUrl: Object.fromEntries(databaseUrls),
    // Every response checked against the OpenAPI document it answers by (support/contract.ts).
    gateway: jsonClient(urlOf('gateway'), {}, 'gateway'),
    env: envFor,
    internal: (service) =>
      jsonClient(urlOf(service), { 'x-internal-token': internalToken }, service),
    start,
    running: (service) => {
      const child = children.get(service);
      return child !== undefined && isRunning(child);
    },
    pid: (service) => {
      const child = children.get(service);
      return child && isRunning(child) ? child.process.pid : undefined;
    },
    unexpectedExits,
    kill,
    printLogs,
    stop,
  };
}

/** Runs a test body; on failure prints the services' logs before jest reports the error. */
export function withLogsOnFailure(
  platform: () => Platform | undefined,
  body: () => Promise<void>,
): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (error) {
      platform()?.printLogs(
        `test failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  };
}

function mainOf(service: ServiceName): string {
  return path.join('services', service, 'dist', 'main.js');
}

function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

function databaseName(platformName: string, service: ServiceName): string {
  return `e2e_${platformName}_${service}`;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await closedPort());
  return [...ports];
}

/** Where the services' databases live: the kit's test server, or a server the test started. */
function databaseServer(adminUrl: string | undefined): {
  create(name: string): Promise<string>;
  drop(name: string): Promise<void>;
} {
  if (adminUrl === undefined) return { create: createTestDatabase, drop: dropTestDatabase };
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    async create(name) {
      const database = testDatabaseName(name);
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin(`CREATE DATABASE "${database}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return url.toString();
    },
    drop: (name) => admin(`DROP DATABASE IF EXISTS "${testDatabaseName(name)}" WITH (FORCE)`),
  };
}

async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
