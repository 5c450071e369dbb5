import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { closedPort } from '@tourkit/kit/testing';
import { eventually } from './eventually.js';

// Private Redis and PostgreSQL servers for the fault suite (e2e/test/faults): each a child
// process of the test on a free port with its data in a temp dir, so a test can kill or restart
// them without touching the machine's shared servers. Every stop is by the child's own pid.

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface PrivateServer {
  readonly url: string;
  readonly pid: number | undefined;
  /** Stops the server (`signal`, SIGKILL after 10 s) and waits for its exit. */
  down(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data, and waits until it answers. */
  up(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

interface Supervised {
  child: ChildProcess | undefined;
  exited: Promise<void>;
}

/** Servers still running: killed if the test process exits without stopping them (jest torn down). */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

function supervise(
  command: string,
  args: string[],
  logFile: string,
  options: { uid?: number; gid?: number } = {},
): Supervised {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], ...options });
  closeSync(fd);
  alive.add(child);
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      alive.delete(child);
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  return { child, exited };
}

async function stopChild(running: Supervised, signal: NodeJS.Signals): Promise<void> {
  const child = running.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await running.exited;
  clearTimeout(timer);
}

/** A redis-server of our own, append-only with fsync on every write: "down then up" keeps its data, as a real Redis with AOF does. */
export async function startPrivateRedis(logDir: string): Promise<PrivateServer> {
  const port = await closedPort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tourkit-faults-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
  ];
  let running: Supervised = { child: undefined, exited: Promise.resolve() };
  const up = async () => {
    running = supervise('redis-server', args, path.join(logDir, 'redis.log'));
    await eventually(
      `private Redis at ${url}`,
      async () => {
        if (running.child?.exitCode !== null && running.child?.exitCode !== undefined) {
          throw new Error(`redis-server exited (${path.join(logDir, 'redis.log')})`);
        }
        const redis = new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        try {
          await redis.connect();
          return (await redis.ping()) === 'PONG';
        } finally {
          redis.disconnect();
        }
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
    );
  };
  const down = (signal: NodeJS.Signals = 'SIGKILL') => stopChild(running, signal);
  await up();
  return {
    url,
    get pid() {
      return running.child?.pid;
    },
    up,
    down,
    async dispose() {
      await down('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A PostgreSQL 15 cluster of our own (initdb, trust auth, fsync off: the data are a test's),
 * run as the `postgres` user when the test runs as root (postgres refuses root). `down()` sends
 * SIGINT (fast shutdown: sessions are cut, as in a restart) unless told otherwise.
 */
export async function startPrivatePostgres(logDir: string): Promise<PrivateServer> {
  const port = await closedPort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tourkit-faults-pg-'));
  const owner = userInfo().uid === 0 ? postgresUser() : undefined;
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const logFile = path.join(logDir, 'postgres.log');
  execFileSync(
    path.join(PG_BIN, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ],
    { stdio: 'ignore', ...(owner ?? {}) },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dataDir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=32MB',
  ];
  let running: Supervised = { child: undefined, exited: Promise.resolve() };
  const up = async () => {
    running = supervise(path.join(PG_BIN, 'postgres'), args, logFile, owner ?? {});
    await eventually(
      `private PostgreSQL at ${url}`,
      async () => {
        if (running.child?.exitCode !== null && running.child?.exitCode !== undefined) {
          throw new Error(`postgres exited (${logFile})`);
        }
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200 },
    );
  };
  const down = (signal: NodeJS.Signals = 'SIGINT') => stopChild(running, signal);
  await up();
  return {
    url,
    get pid() {
      return running.child?.pid;
    },
    up,
    down,
    async dispose() {
      await down('SIGINT');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
