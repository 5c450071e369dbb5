import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { messageIdFor } from '../../src/domain/notification.js';
import { countByMessageId, eventually, startHarness, type Harness } from '../support/harness.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const TOTAL = 50;

let h: Harness;
let child: ChildProcess | undefined;
const user = { id: randomUUID(), email: 'crash@example.com', name: 'Crash', country: 'FR' };
const tour = {
  id: randomUUID(),
  title: 'Catacombs',
  destination: 'Paris',
  startsAt: '2030-06-01T10:00:00.000Z',
  operatorEmail: 'operator@tourkit.dev',
};
// Long enough that a held send is still in flight when the worker dies, short enough for a test.
const timing = { SMTP_TIMEOUT_MS: '3000', SEND_LEASE_MS: '6000' };

beforeAll(async () => {
  h = await startHarness('notification_crash', { worker: false, env: timing });
  h.upstreams.users.set(user.id, user);
  h.upstreams.tours.set(tour.id, tour);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.stop();
});

/** The real service (API + worker) as its own process, from the sources. */
function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: '0', NOTIFICATION_WORKER: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  worker.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[worker] ${chunk.toString()}`),
  );
  return worker;
}

async function statusCounts(): Promise<Record<string, number>> {
  const { rows } = await h.service.pool.query<{ status: string; count: string }>(
    'SELECT status, count(*) FROM notifications GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

it('loses no e-mail and sends none twice when the worker is SIGKILLed mid-queue', async () => {
  const keys = Array.from(
    { length: TOTAL },
    (_, i) => `booking-confirmed:crash-${i}-${randomUUID()}`,
  );
  for (const dedupeKey of keys) {
    const response = await h.post('/internal/notifications', {
      type: 'booking-confirmed',
      dedupeKey,
      userId: user.id,
      tourId: tour.id,
    });
    expect(response.body.status).toBe('queued');
  }

  child = startWorkerProcess(h.env);
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  await h.smtp.waitFor((messages) => messages.length >= 10, 60_000);
  // Freeze the SMTP conversations before their data is sent, so the kill lands mid-send.
  h.smtp.hold();
  await eventually(() => h.smtp.waiting >= 1);
  child.kill('SIGKILL');
  await exited;
  child = undefined;
  h.smtp.release();

  const afterKill = await statusCounts();
  expect(afterKill.sent ?? 0).toBeLessThan(TOTAL);
  expect(afterKill.sending ?? 0).toBeGreaterThanOrEqual(1);
  expect((afterKill.queued ?? 0) + (afterKill.sending ?? 0)).toBeGreaterThan(0);

  // The restart: recovery sweep, stalled jobs back from the dead worker, expired leases reclaimed.
  await h.service.startWorker();
  await eventually(async () => (await statusCounts()).sent === TOTAL, 60_000);

  const expected = new Set(
    keys.map((key) => messageIdFor(key, h.service.config.MESSAGE_ID_DOMAIN)),
  );
  const counts = countByMessageId(h.smtp.messages);
  expect([...expected].filter((id) => counts.get(id) !== 1)).toEqual([]);
  expect(h.smtp.messages).toHaveLength(TOTAL);
}, 120_000);
