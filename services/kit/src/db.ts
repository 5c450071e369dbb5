import pg from 'pg';
import type { Logger } from 'pino';
import { runner } from 'node-pg-migrate';
import type { HealthRegistry } from './health.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface CreatePoolOptions {
  /** Health check name and application_name, e.g. `db` or `db-read`. */
  name: string;
  max?: number;
  /** Sessions refuse writes (`default_transaction_read_only`), so a write sent to the read pool fails loudly. */
  readOnly?: boolean;
  /** When given, the pool registers its own check (`SELECT 1`). */
  health?: HealthRegistry;
  /** Default true: the service cannot work without its database. */
  critical?: boolean;
  logger?: Logger;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/** A pg Pool with timeouts, an error listener (an idle client's error must not crash the process) and a health check. */
export function createPool(connectionString: string, options: CreatePoolOptions): pg.Pool {
  const sessionOptions = [
    `-c statement_timeout=${options.statementTimeoutMs ?? 10_000}`,
    ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []),
  ].join(' ');
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    application_name: options.name,
    options: sessionOptions,
  });
  pool.on('error', (error) =>
    options.logger?.warn({ err: error, pool: options.name }, 'idle database client error'),
  );
  // pg-pool listens for a client's 'error' only while the client is idle in the pool. A client
  // the application holds (between the queries of a transaction, or waiting for its next one)
  // also gets the server's error when Postgres restarts (57P01), and an 'error' nobody listens
  // to ends the process. The query in flight, if any, fails on its own, and release() discards
  // the broken client, so logging is all that is left to do.
  pool.on('connect', (client) => {
    client.on('error', (error) =>
      options.logger?.warn({ err: error, pool: options.name }, 'database client error'),
    );
  });
  options.health?.register(
    options.name,
    async () => {
      await pool.query('SELECT 1');
    },
    { critical: options.critical ?? true },
  );
  return pool;
}

/** Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface MigrationOptions {
  /** Default `pgmigrations` (every service has its own database). */
  migrationsTable?: string;
  logger?: Logger;
}

/**
 * Applies pending migrations from `migrationsDir` (node-pg-migrate: `.sql` with `-- Up Migration` markers, or `.js`),
 * under node-pg-migrate's advisory lock so concurrent replicas do not race. Returns the names applied.
 */
export async function runMigrations(
  databaseUrl: string,
  migrationsDir: string,
  options: MigrationOptions = {},
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: options.migrationsTable ?? 'pgmigrations',
    count: Infinity,
    checkOrder: true,
    singleTransaction: true,
    verbose: false,
    log: (message: string) => options.logger?.debug({ migration: true }, message),
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) options.logger?.info({ migrations: names }, 'migrations applied');
  return names;
}

/** Creates the database of `databaseUrl` when missing (for `make dev`); connects to the `postgres` database on the same server. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[\w-]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}
