import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import { createPool, ensureDatabase, runMigrations, withTransaction } from '../src/db.js';
import { HealthRegistry } from '../src/health.js';
import { createTestDatabase, dropTestDatabase, testDatabaseName } from '../src/testing.js';

const migrationsDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'migrations',
);

describe('database helpers (real Postgres)', () => {
  let databaseUrl: string;
  let pool: pg.Pool;
  const health = new HealthRegistry();

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('kit');
    pool = createPool(databaseUrl, { name: 'db', max: 4, health });
  });

  afterAll(async () => {
    await pool.end();
    await dropTestDatabase('kit');
  });

  it('applies migrations once, in order, and a second run applies nothing', async () => {
    expect(await runMigrations(databaseUrl, migrationsDir)).toEqual([
      '1732400000000_create-widgets',
      '1732400000001_add-widget-price',
    ]);
    expect(await runMigrations(databaseUrl, migrationsDir)).toEqual([]);
    const columns = await pool.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets' ORDER BY ordinal_position",
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(['id', 'name', 'price_cents']);
    const recorded = await pool.query('SELECT name FROM pgmigrations ORDER BY id');
    expect(recorded.rowCount).toBe(2);
  });

  it('commits a transaction when the function resolves and rolls back when it throws', async () => {
    await withTransaction(pool, (client) =>
      client.query("INSERT INTO widgets (name) VALUES ('kept')"),
    );
    await expect(
      withTransaction(pool, async (client) => {
        await client.query("INSERT INTO widgets (name) VALUES ('discarded')");
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    const names = await pool.query<{ name: string }>('SELECT name FROM widgets ORDER BY name');
    expect(names.rows.map((row) => row.name)).toEqual(['kept']);
  });

  it('a client the application holds survives its server connection ending (Postgres restart)', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (details: unknown) => warnings.push(details) } as unknown as Logger;
    const held = createPool(databaseUrl, { name: 'db-held', max: 1, logger });
    try {
      const client = await held.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
        .pid;
      // What a restart does to every session: the server ends it while the client is checked out.
      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      const deadline = Date.now() + 10_000;
      while (warnings.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Without a listener, that 'error' (57P01, then "terminated unexpectedly") was an uncaught
      // exception that ended the process.
      expect(warnings.length).toBeGreaterThan(0);
      for (const warning of warnings) expect(warning).toMatchObject({ pool: 'db-held' });
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      // The pool replaces the broken client.
      expect((await held.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await held.end();
    }
  }, 30_000);

  it('a read-only pool reads but refuses writes', async () => {
    const readPool = createPool(databaseUrl, { name: 'db-read', readOnly: true, max: 1 });
    try {
      const count = await readPool.query('SELECT count(*)::int AS n FROM widgets');
      expect(count.rows[0].n).toBeGreaterThanOrEqual(1);
      await expect(readPool.query("INSERT INTO widgets (name) VALUES ('nope')")).rejects.toThrow(
        /read-only/,
      );
    } finally {
      await readPool.end();
    }
  });

  it('registers a critical health check: UP on a reachable database, DOWN on a missing one', async () => {
    expect((await health.report()).checks.db).toMatchObject({ status: 'UP', critical: true });
    const missing = new URL(databaseUrl);
    missing.pathname = '/tourkit_does_not_exist_test';
    const brokenHealth = new HealthRegistry();
    const broken = createPool(missing.toString(), { name: 'db', health: brokenHealth });
    try {
      const report = await brokenHealth.report();
      expect(report.status).toBe('DOWN');
      expect(report.checks.db?.error).toMatch(/does not exist/);
    } finally {
      await broken.end();
    }
  });

  it('ensureDatabase creates a missing database once', async () => {
    const url = new URL(databaseUrl);
    url.pathname = `/${testDatabaseName('kit_ensure')}`;
    await dropTestDatabase('kit_ensure');
    expect(await ensureDatabase(url.toString())).toBe(true);
    expect(await ensureDatabase(url.toString())).toBe(false);
    await dropTestDatabase('kit_ensure');
  });
});
