/**
 * A private primary and a hot standby streaming from it (initdb + pg_basebackup from the machine's
 * PostgreSQL 15), on free ports in a temporary directory: a real lagging read replica for tests.
 * Never touches the shared server; stop() stops both by their own data directories and removes them.
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, appendFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface StreamingPair {
  primaryUrl(database: string): string;
  standbyUrl(database: string): string;
  /** Stops applying WAL on the standby (it keeps receiving it): it lags from now on. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the standby replayed everything the primary has written so far. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** initdb refuses to run as root: then the tools run as the postgres user. */
async function tool(name: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, name), ...args]]
    : [join(BIN, name), args];
  await run(file, argv, { timeout: 60_000 });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

export async function startStreamingPair(): Promise<StreamingPair> {
  const dir = await mkdtemp(join(tmpdir(), 'tourkit-cat-replica-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const primaryDir = join(dir, 'primary');
  const standbyDir = join(dir, 'standby');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = async () => {
    for (const data of started.reverse())
      await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await tool('initdb', [
      '-D',
      primaryDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await appendFile(
      join(primaryDir, 'postgresql.conf'),
      [
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'fsync = off',
        'hot_standby = on',
        '',
      ].join('\n'),
    );
    await tool('pg_ctl', ['-D', primaryDir, '-l', join(dir, 'primary.log'), '-w', 'start']);
    started.push(primaryDir);
    await tool('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    await appendFile(join(standbyDir, 'postgresql.conf'), `port = ${standbyPort}\n`);
    await tool('pg_ctl', ['-D', standbyDir, '-l', join(dir, 'standby.log'), '-w', 'start']);
    started.push(standbyDir);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = (port: number, database: string) =>
    `postgres://postgres@127.0.0.1:${port}/${database}`;
  const pair: StreamingPair = {
    primaryUrl: (database) => url(primaryPort, database),
    standbyUrl: (database) => url(standbyPort, database),
    async pauseReplay() {
      await query(pair.standbyUrl('postgres'), 'SELECT pg_wal_replay_pause()');
    },
    async resumeReplay() {
      await query(pair.standbyUrl('postgres'), 'SELECT pg_wal_replay_resume()');
    },
    async waitForReplay(timeoutMs = 20_000) {
      const [current] = await query<{ lsn: string }>(
        pair.primaryUrl('postgres'),
        'SELECT pg_current_wal_lsn()::text AS lsn',
      );
      const lsn = current!.lsn;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await query<{ behind: boolean }>(
          pair.standbyUrl('postgres'),
          `SELECT pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn AS behind`,
        );
        if (!row!.behind) return;
        if (Date.now() > deadline) throw new Error(`standby did not replay up to ${lsn}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop,
  };
  return pair;
}
