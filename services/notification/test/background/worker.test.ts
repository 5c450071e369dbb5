import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { messageIdFor } from '../../src/domain/notification.js';
import {
  countByMessageId,
  deliveries,
  eventually,
  startHarness,
  type Harness,
} from '../support/harness.js';
import { ada, deliveredRow, deliveryForFile } from '../support/delivery.js';

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

describe('SMTP down', () => {
  // Its own service: stopping SMTP must not touch the crash test's.
  const smtp = deliveryForFile('notification_smtp_down');

  it('keeps retrying, reports DEGRADED, and delivers once SMTP is back', async () => {
    await smtp.h.smtp.stop();
    const response = await smtp.h.post('/internal/notifications', {
      type: 'booking-confirmed',
      dedupeKey: `booking-confirmed:${randomUUID()}`,
      userId: ada.id,
    });
    expect(response.body.status).toBe('queued');
    await eventually(
      async () => ((await smtp.h.service.store.get(response.body.id))?.attempts ?? 0) >= 2,
    );
    const health = await fetch(`${smtp.h.url}/health`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(report.status).toBe('DEGRADED');
    expect(report.checks.smtp!.status).toBe('DOWN');
    expect(report.checks.db!.status).toBe('UP');
    expect(report.checks.redis!.status).toBe('UP');
    expect((await smtp.h.service.store.get(response.body.id))!.status).not.toBe('sent');

    await smtp.h.smtp.start();
    const row = await deliveredRow(smtp.h, response.body.id);
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(
      deliveries(smtp.h.smtp.messages.filter((mail) => mail.messageId === row.messageId)),
    ).toBe(1);
    expect(
      ((await (await fetch(`${smtp.h.url}/health`)).json()) as { status: string }).status,
    ).toBe('UP');
    const metrics = await (await fetch(`${smtp.h.url}/metrics`)).text();
    expect(metrics).toMatch(
      /notifications_total\{type="booking-confirmed",status="retried"\} [1-9]/,
    );
    expect(metrics).toMatch(/notification_queue_depth\{state="waiting"\} \d+/);
  });
});
