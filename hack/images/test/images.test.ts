// The images made here, run in real containerd + runc: a service image built by BuildKit from its
// unchanged Dockerfile answers /livez; the Postgres image keeps the official image's start-up
// contract; an unchanged image rebuilds from BuildKit's cache with the same digest.
import { createHash, createHmac, generateKeyPairSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@tourkit/testenv';
import {
  buildOutcomes,
  countBuildSteps,
  IMAGES_DIR,
  imagesEnv,
  parseImagesEnv,
  run,
  runOrThrow,
  type RunResult,
  uncachedSteps,
} from './support/images.js';

const REPO_ROOT = path.resolve(IMAGES_DIR, '../..');

/** Whether a PostgreSQL SCRAM-SHA-256 verifier (RFC 5802, as pg_authid stores it) was made from `password`. */
function scramVerifierMatches(verifier: string, password: string): boolean {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!match) return false;
  const [, iterations, salt, storedKey, serverKey] = match;
  const salted = pbkdf2Sync(
    password,
    Buffer.from(salt!, 'base64'),
    Number(iterations),
    32,
    'sha256',
  );
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const stored = createHash('sha256').update(hmac(salted, 'Client Key')).digest('base64');
  return stored === storedKey && hmac(salted, 'Server Key').toString('base64') === serverKey;
}
const images = imagesEnv();
const GATEWAY_IMAGE = `docker.io/tourkit/gateway:${images.TOURKIT_IMAGE_TAG}`;
const POSTGRES_IMAGE = images.TOURKIT_POSTGRES_IMAGE!;
const REDIS_IMAGE = images.TOURKIT_REDIS_IMAGE!;
const TARGETS = ['postgres', 'redis', 'gateway'];
/** What those targets build, each FROM the one before it where it has a parent. */
const BUILT_IMAGES = [
  'tourkit.local/debian:bookworm-minbase',
  images.TOURKIT_NODE_IMAGE!,
  'tourkit.local/debian:trixie-minbase',
  POSTGRES_IMAGE,
  REDIS_IMAGE,
  GATEWAY_IMAGE,
];

const env: NodeJS.ProcessEnv = { ...process.env };
let startedContainerd = false;
const containers: string[] = [];
const workDirs: string[] = [];

const script = (name: string) => path.join(IMAGES_DIR, name);
const ctr = (args: string[]) => runOrThrow(script('ctr.sh'), args, { env });
const suffix = () => randomBytes(4).toString('hex');

interface ContainerSpec {
  image: string;
  env?: Record<string, string>;
  binds?: { src: string; dst: string; readOnly?: boolean }[];
  tmpfs?: string[];
  user?: string;
  /** The process: ctr replaces ENTRYPOINT and CMD, so an entrypoint is named with its arguments. */
  command?: string[];
  logFile: string;
}

/** `ctr run --detach` with a read-only root filesystem, as the manifests run every container. */
async function startContainer(name: string, spec: ContainerSpec): Promise<string> {
  const id = `tk-images-test-${name}-${suffix()}`;
  const args = ['run', '--detach', '--read-only', '--log-uri', `file://${spec.logFile}`];
  for (const [key, value] of Object.entries(spec.env ?? {})) args.push('--env', `${key}=${value}`);
  for (const bind of spec.binds ?? [])
    args.push(
      '--mount',
      `type=bind,src=${bind.src},dst=${bind.dst},options=rbind:${bind.readOnly ? 'ro' : 'rw'}`,
    );
  for (const dst of spec.tmpfs ?? [])
    args.push('--mount', `type=tmpfs,src=tmpfs,dst=${dst},options=nosuid:nodev:mode=1777`);
  if (spec.user) args.push('--user', spec.user);
  containers.push(id);
  await ctr([...args, spec.image, id, ...(spec.command ?? [])]);
  return id;
}

function execIn(id: string, command: string[]): Promise<RunResult> {
  return run(script('ctr.sh'), ['task', 'exec', '--exec-id', `probe-${suffix()}`, id, ...command], {
    env,
  });
}

async function taskStatus(id: string): Promise<string | undefined> {
  const out = await ctr(['task', 'ls']);
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[0] === id)?.[2];
}

/** Sends the image's stop signal's worth (SIGINT for Postgres) and waits until the task stopped. */
async function stopContainer(id: string, signal: string): Promise<void> {
  await ctr(['task', 'kill', '--signal', signal, id]);
  await waitFor(`${id} to stop after ${signal}`, async () =>
    (await taskStatus(id)) === 'STOPPED' ? true : undefined,
  );
}

async function removeContainer(id: string): Promise<void> {
  await run(script('ctr.sh'), ['task', 'delete', '--force', id], { env });
  await run(script('ctr.sh'), ['container', 'delete', id], { env });
}

async function imageDigest(image: string): Promise<string | undefined> {
  const out = await ctr(['images', 'ls', `name==${image}`]);
  return out.split('\n')[1]?.trim().split(/\s+/)[2];
}

function workDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `tk-images-${name}-`));
  workDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  if (process.getuid?.() !== 0)
    throw new Error(
      'the image tests need root: BuildKit and containerd mount snapshots and run runc',
    );
  // The containerd named by CONTAINERD_ADDRESS, else build.sh's default (the real node's when it is
  // there); the standalone one of containerd.sh is started (and stopped) here when it is the one
  // meant and does not answer.
  const standalone = (await runOrThrow(script('containerd.sh'), ['socket'], { env })).trim();
  const probe = await run(script('ctr.sh'), ['version'], { env });
  const meant = process.env.CONTAINERD_ADDRESS;
  if (probe.code !== 0 && (meant === undefined || meant === standalone)) {
    await runOrThrow(script('containerd.sh'), ['start'], { env, progress: true });
    env.CONTAINERD_ADDRESS = standalone;
    startedContainerd = true;
  }
  await runOrThrow(script('build.sh'), TARGETS, { env, progress: true });
}, 45 * 60_000);

afterAll(async () => {
  for (const id of containers) await removeContainer(id);
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  if (startedContainerd)
    await runOrThrow(script('containerd.sh'), ['stop'], { env, progress: true });
}, 120_000);

describe('images.env', () => {
  it('names the base image as the service and operator Dockerfiles name it in FROM', () => {
    const normalise = (ref: string) => (ref.includes('/') ? ref : `docker.io/library/${ref}`);
    const baseNames = [images.TOURKIT_NODE_IMAGE, ...images.TOURKIT_NODE_IMAGE_ALIASES!.split(' ')];
    const dockerfiles = [`services/Dockerfile`, `operator/Dockerfile`].map((file) =>
      readFileSync(path.join(REPO_ROOT, file), 'utf8'),
    );
    const parents = dockerfiles.flatMap((text) => [
      ...[...text.matchAll(/^ARG NODE_IMAGE=(\S+)$/gm)].map((m) => m[1]!),
      ...[...text.matchAll(/^FROM (node:\S+)/gm)].map((m) => m[1]!),
    ]);
    expect(parents.length).toBeGreaterThan(0);
    for (const parent of parents) expect(baseNames).toContain(normalise(parent));
  });

  it('is read as plain KEY=value lines', () => {
    expect(parseImagesEnv('# comment\nA=1\n\nB_2=x y\n  C=\n')).toEqual({
      A: '1',
      B_2: 'x y',
      C: '',
    });
  });
});

describe("reading build.sh's progress", () => {
  const sample = [
    '[01:00:00] [1/2] base: building docker.io/library/node:24-bookworm-slim (BuildKit log: /x.log)',
    '    #5 [2/3] COPY node/ /usr/local/',
    '    #5 CACHED',
    '[01:00:01] [1/2] base: docker.io/library/node:24-bookworm-slim cached (sha256:' +
      'a'.repeat(64) +
      ', 84.7 MiB, 2s)',
    '[01:00:02] [2/2] gateway: building docker.io/tourkit/gateway:dev (BuildKit log: /y.log)',
    '    #5 [build 1/5] RUN npm install',
    '    #6 [build 2/5] COPY tsconfig.base.json ./',
    '    #6 CACHED',
    '[01:00:40] [2/2] gateway: docker.io/tourkit/gateway:dev built in 38s (sha256:' +
      'b'.repeat(64) +
      ', 97.0 MiB)',
  ].join('\n');

  it('tells a cached image from a built one, with its digest', () => {
    expect(buildOutcomes(sample)).toEqual(
      new Map([
        [
          'docker.io/library/node:24-bookworm-slim',
          { outcome: 'cached', digest: `sha256:${'a'.repeat(64)}` },
        ],
        ['docker.io/tourkit/gateway:dev', { outcome: 'built', digest: `sha256:${'b'.repeat(64)}` }],
      ]),
    );
  });

  it("finds the steps BuildKit ran, each build's step numbers apart from the others'", () => {
    // #5 is CACHED in the first build only: the gateway's #5 ran.
    expect(uncachedSteps(sample)).toEqual([
      'docker.io/tourkit/gateway:dev: [build 1/5] RUN npm install',
    ]);
    expect(countBuildSteps(sample)).toEqual({ builds: 2, steps: 3 });
  });
});

describe('a service image built by BuildKit from its unchanged Dockerfile', () => {
  it('runs as uid 10001 on a read-only root filesystem and answers /livez', async () => {
    const dir = workDir('gateway');
    const { publicKey } = generateKeyPairSync('ed25519');
    const id = await startContainer('gateway', {
      image: GATEWAY_IMAGE,
      env: {
        JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        INTERNAL_TOKEN: randomBytes(16).toString('hex'),
        // Nothing listens there: /livez answers whatever the dependencies do.
        REDIS_URL: 'redis://127.0.0.1:1',
      },
      tmpfs: ['/tmp'],
      logFile: path.join(dir, 'gateway.log'),
    });
    const livez = `fetch('http://127.0.0.1:8080/livez').then(async (r) => { console.log(r.status, await r.text()); process.exit(r.ok ? 0 : 1); }, () => process.exit(1))`;
    const answer = await waitFor(
      'the gateway container to answer /livez',
      async () => {
        const probe = await execIn(id, ['node', '-e', livez]);
        return probe.code === 0 ? probe.stdout.trim() : undefined;
      },
      {
        timeoutMs: 120_000,
        lastSeen: () => readFileSync(path.join(dir, 'gateway.log'), 'utf8').slice(-2000),
      },
    );
    expect(answer).toBe('200 {"status":"UP"}');
    // PID 1 is tini, started as the Dockerfile's USER; node runs under it.
    const status = await execIn(id, ['cat', '/proc/1/status']);
    expect(status.stdout).toMatch(/^Uid:\s+10001\s/m);
    expect((await execIn(id, ['cat', '/proc/1/comm'])).stdout.trim()).toBe('tini');
  }, 180_000);
});

describe('the Postgres image', () => {
  it('initialises an empty PGDATA from POSTGRES_USER/PASSWORD/DB and runs the init scripts once', async () => {
    const dir = workDir('postgres');
    const data = path.join(dir, 'data');
    const init = path.join(dir, 'init');
    mkdirSync(data);
    chownSync(data, 999, 999);
    mkdirSync(init);
    // The two kinds of script the manifests mount from their ConfigMap (not executable: sourced).
    const replicationLine = 'host replication tourkit all scram-sha-256';
    writeFileSync(
      path.join(init, '10-replication.sh'),
      `echo "${replicationLine}" >> "$PGDATA/pg_hba.conf"\n`,
    );
    // Fails if run twice (the table exists), and the start with it.
    writeFileSync(
      path.join(init, '20-once.sql'),
      'CREATE TABLE init_runs (run int PRIMARY KEY);\nINSERT INTO init_runs VALUES (1);\n',
    );
    const password = randomBytes(12).toString('hex');
    const start = (run: number) =>
      startContainer(`postgres-${run}`, {
        image: POSTGRES_IMAGE,
        // As the StatefulSet runs it: uid 999, PGDATA a directory inside the volume.
        user: '999:999',
        env: {
          POSTGRES_USER: 'tourkit',
          POSTGRES_PASSWORD: password,
          POSTGRES_DB: 'tourkit_images',
          PGDATA: '/var/lib/postgresql/data/pgdata',
        },
        binds: [
          { src: data, dst: '/var/lib/postgresql/data' },
          { src: init, dst: '/docker-entrypoint-initdb.d', readOnly: true },
        ],
        tmpfs: ['/var/run/postgresql', '/tmp'],
        logFile: path.join(dir, `postgres-${run}.log`),
      });
    const ready = (id: string, run: number) =>
      waitFor(
        `postgres (start ${run}) to accept TCP connections`,
        async () =>
          (await execIn(id, ['pg_isready', '--host=127.0.0.1', '--username=tourkit'])).code === 0
            ? true
            : undefined,
        {
          timeoutMs: 180_000,
          lastSeen: () => readFileSync(path.join(dir, `postgres-${run}.log`), 'utf8').slice(-2000),
        },
      );
    const sql = (id: string, pass: string, query: string) =>
      execIn(id, [
        'psql',
        `postgresql://tourkit:${pass}@127.0.0.1:5432/tourkit_images`,
        '-tAc',
        query,
      ]);
    const hbaLines = () =>
      readFileSync(path.join(data, 'pgdata/pg_hba.conf'), 'utf8')
        .split('\n')
        .filter((line) => line === replicationLine).length;

    const first = await start(1);
    await ready(first, 1);
    const whoami = await sql(first, password, "SELECT current_user || ' ' || current_database()");
    expect(whoami.stdout.trim()).toBe('tourkit tourkit_images');
    // initdb trusts loopback (as upstream's image does), so the password is checked where it is kept:
    // the role's SCRAM verifier must be the one POSTGRES_PASSWORD gives; other hosts must use it.
    const verifier = await sql(
      first,
      '',
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'tourkit'",
    );
    expect(scramVerifierMatches(verifier.stdout.trim(), password)).toBe(true);
    expect(scramVerifierMatches(verifier.stdout.trim(), 'not-the-password')).toBe(false);
    expect(readFileSync(path.join(data, 'pgdata/pg_hba.conf'), 'utf8')).toMatch(
      /^host all all all scram-sha-256$/m,
    );
    expect((await sql(first, password, 'SELECT count(*) FROM init_runs')).stdout.trim()).toBe('1');
    expect((await sql(first, password, 'SHOW server_encoding')).stdout.trim()).toBe('UTF8');
    expect(hbaLines()).toBe(1);
    expect(readFileSync(path.join(dir, 'postgres-1.log'), 'utf8')).toMatch(
      /PostgreSQL init process complete; ready for start up/,
    );
    await stopContainer(first, 'SIGINT');

    const second = await start(2);
    await ready(second, 2);
    expect((await sql(second, password, 'SELECT count(*) FROM init_runs')).stdout.trim()).toBe('1');
    expect(hbaLines()).toBe(1);
    expect(readFileSync(path.join(dir, 'postgres-2.log'), 'utf8')).toMatch(
      /Skipping initialization/,
    );
    // What the read replicas run instead of the entrypoint.
    expect((await execIn(second, ['pg_basebackup', '--version'])).stdout).toMatch(
      /^pg_basebackup \(PostgreSQL\) 17\./,
    );
  }, 600_000);
});

describe('the Redis image', () => {
  it('starts redis-server from arguments alone, as the StatefulSet passes them, as uid 999', async () => {
    const dir = workDir('redis');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    chownSync(data, 999, 999);
    const id = await startContainer('redis', {
      image: REDIS_IMAGE,
      user: '999:999',
      // The StatefulSet's args, after the image's entrypoint (a pod's args keep the ENTRYPOINT).
      command: [
        'docker-entrypoint.sh',
        '--appendonly',
        'yes',
        '--maxmemory',
        '192mb',
        '--maxmemory-policy',
        'volatile-lru',
      ],
      binds: [{ src: data, dst: '/data' }],
      logFile: path.join(dir, 'redis.log'),
    });
    const cli = async (...args: string[]) =>
      (await execIn(id, ['redis-cli', ...args])).stdout.trim();
    await waitFor(
      'redis to answer PING',
      async () => ((await cli('ping')) === 'PONG' ? true : undefined),
      {
        lastSeen: () => readFileSync(path.join(dir, 'redis.log'), 'utf8').slice(-2000),
      },
    );
    // Other pods connect: protected mode is off, as the official image compiles it.
    expect(await cli('config', 'get', 'protected-mode')).toBe('protected-mode\nno');
    expect(await cli('config', 'get', 'maxmemory-policy')).toBe('maxmemory-policy\nvolatile-lru');
    expect(await cli('config', 'get', 'appendonly')).toBe('appendonly\nyes');
    // The append-only files land in /data, the working directory.
    expect(readdirSync(data)).toContain('appendonlydir');
  }, 120_000);
});

describe('rebuilding unchanged images', () => {
  it(
    'is a cache hit: every step CACHED in BuildKit, every digest unchanged',
    async () => {
      const before = new Map<string, string | undefined>();
      for (const image of BUILT_IMAGES) before.set(image, await imageDigest(image));
      const rebuild = await run(script('build.sh'), TARGETS, { env, progress: true });
      expect(rebuild.code).toBe(0);
      const outcomes = buildOutcomes(rebuild.stderr);
      for (const image of BUILT_IMAGES) {
        expect(before.get(image)).toMatch(/^sha256:/);
        expect({ image, ...outcomes.get(image) }).toEqual({
          image,
          outcome: 'cached',
          digest: before.get(image),
        });
        expect(await imageDigest(image)).toBe(before.get(image));
      }
      // BuildKit's own account: each build step it started it reports CACHED.
      const { builds, steps } = countBuildSteps(rebuild.stderr);
      expect(builds).toBe(BUILT_IMAGES.length);
      expect(steps).toBeGreaterThan(BUILT_IMAGES.length);
      expect(uncachedSteps(rebuild.stderr)).toEqual([]);
    },
    30 * 60_000,
  );
});
