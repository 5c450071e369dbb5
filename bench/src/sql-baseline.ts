// The baseline of `booking create` (issue 15, item 3): the SQL statements one create issues, in
// booking's database and catalog's (the seat reservation), recorded from the real services by
// sql-recorder.js, then issued again with pg directly — same texts, same order, same transactions,
// pools as large as the services' — by as many concurrent workers as the load has connections.
// What it leaves out is what the services add around the SQL: HTTP, JSON, validation, the kit's
// logs/metrics/context, the catalog call, Redis (cache bump, payment queue).
import pg from 'pg';
import type { Run } from './table.js';

/** Requests whose id starts with this have their statements recorded (sql-recorder.js). */
export const RECORDED_REQUEST_PREFIX = 'bench-sql-record';

/** One statement as sql-recorder.js wrote it. */
export interface RecordedStatement {
  requestId: string;
  /** Epoch milliseconds, sub-millisecond precision: orders statements across the two processes. */
  at: number;
  database: string;
  /** The pg client (process and client number) that ran it: a transaction stays on one. */
  client: string;
  text: string;
  values: unknown[];
  firstRow: Record<string, unknown> | null;
}

/** A recorded value and what stands for it in one replay (a fresh key, the replay's new ids). */
export type Substitutions = Array<[recorded: string, replayed: string]>;

/** The statements of one recorded request, in the order they ran; refuses a recording without any. */
export function recordedRequest(lines: string, requestId: string): RecordedStatement[] {
  const statements = lines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedStatement)
    .filter((statement) => statement.requestId === requestId)
    .sort((a, b) => a.at - b.at);
  if (statements.length === 0)
    throw new Error(`no SQL statement recorded for request ${requestId} (BENCH_SQL_RECORD)`);
  return statements;
}

/** A parameter for the replay: every recorded value inside a string replaced by its stand-in. */
export function substitute(value: unknown, substitutions: Substitutions): unknown {
  if (typeof value !== 'string') return value;
  let out = value;
  for (const [recorded, replayed] of substitutions) out = out.split(recorded).join(replayed);
  return out;
}

/**
 * What a replayed statement returned that later statements may carry (the new booking's id, its
 * timestamps): each string column of the recorded first row that differs in the replay's, at least
 * 8 characters long so that no short word is replaced inside another value.
 */
export function learn(
  recorded: Record<string, unknown> | null,
  replayed: Record<string, unknown> | undefined,
): Substitutions {
  if (!recorded || !replayed) return [];
  const learned: Substitutions = [];
  for (const [column, value] of Object.entries(recorded)) {
    const now = replayed[column];
    const nowText = now instanceof Date ? now.toISOString() : now;
    if (typeof value === 'string' && value.length >= 8 && typeof nowText === 'string')
      if (nowText !== value) learned.push([value, nowText]);
  }
  return learned;
}

/** Whether a statement opens or closes a transaction (the client is held from one to the other). */
export function transactionEdge(text: string): 'begin' | 'end' | undefined {
  const word = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
  if (word === 'BEGIN' || word === 'START') return 'begin';
  if (word === 'COMMIT' || word === 'ROLLBACK' || word === 'END') return 'end';
  return undefined;
}

/** The p-th percentile (0–100) of a list of numbers, nearest rank; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

export interface SqlBaseline {
  /** Issues the recorded statements for `seconds` with `connections` workers: a row of the table. */
  run(options: { connections: number; durationSeconds: number }): Promise<Run>;
  close(): Promise<void>;
}

/**
 * `statements`: one recorded request; `urls`: each database's URL by name; `poolMax`: the
 * services' pool size; `key`: the recorded Idempotency-Key (each replay uses a fresh one).
 */
export function sqlBaseline(options: {
  statements: RecordedStatement[];
  urls: Record<string, string>;
  poolMax: number;
  key: string;
}): SqlBaseline {
  const pools = new Map<string, pg.Pool>();
  for (const { database } of options.statements) {
    const url = options.urls[database];
    if (!url) throw new Error(`no URL for database ${database} (a statement was recorded there)`);
    if (!pools.has(database))
      pools.set(database, new pg.Pool({ connectionString: url, max: options.poolMax }));
  }
  let replays = 0;

  async function replayOnce(): Promise<void> {
    replays += 1;
    const substitutions: Substitutions = [[options.key, `bench-sql-${process.pid}-${replays}`]];
    const held = new Map<string, pg.PoolClient>();
    try {
      for (const statement of options.statements) {
        let client = held.get(statement.client);
        if (!client) {
          client = await pools.get(statement.database)!.connect();
          held.set(statement.client, client);
        }
        const values = statement.values.map((value) => substitute(value, substitutions));
        const result = await client.query(statement.text, values);
        substitutions.push(...learn(statement.firstRow, result.rows[0]));
        // Outside a transaction the service's pool.query gave the client back after the statement.
        const edge = transactionEdge(statement.text);
        if (edge === 'end' || (edge === undefined && !inTransaction.has(client))) {
          inTransaction.delete(client);
          client.release();
          held.delete(statement.client);
        } else if (edge === 'begin') inTransaction.add(client);
      }
    } finally {
      for (const client of held.values()) {
        inTransaction.delete(client);
        client.release(true);
      }
    }
  }
  const inTransaction = new WeakSet<pg.PoolClient>();

  async function run({
    connections,
    durationSeconds,
  }: {
    connections: number;
    durationSeconds: number;
  }): Promise<Run> {
    const latencies: number[] = [];
    let failures = 0;
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    const until = began + durationSeconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const start = performance.now();
          try {
            await replayOnce();
            latencies.push(performance.now() - start);
          } catch {
            failures += 1;
          }
        }
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const requests = latencies.length;
    return {
      rps: requests / seconds,
      requests,
      p50: Math.round(percentile(latencies, 50)),
      p99: Math.round(percentile(latencies, 99)),
      failures,
      ...(requests ? { cpuMicros: (cpu.user + cpu.system) / requests } : {}),
    };
  }

  return {
    run,
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.end()));
    },
  };
}
