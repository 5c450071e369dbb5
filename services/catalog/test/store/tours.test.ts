import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { runMigrations } from '@tourkit/kit';
import { MIGRATIONS_DIR } from '../../src/server.js';
import { startTestCatalog, tourBody, type TestCatalog } from '../../src/testing.js';
import { startStreamingPair, type StreamingPair } from '../support/streaming-replica.js';

// A real primary and a real hot standby; replication lag is made by pausing the standby's replay.
jest.setTimeout(120_000);

let pair: StreamingPair;
let pods: TestCatalog[];

async function standbyPrice(id: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: pair.standbyUrl('tourkit_catalog') });
  await client.connect();
  try {
    const { rows } = await client.query<{ price_cents: number }>(
      'SELECT price_cents FROM tours WHERE id = $1',
      [id],
    );
    return rows[0]?.price_cents;
  } finally {
    await client.end();
  }
}

async function freshReads(pod: TestCatalog, source: 'replica' | 'primary'): Promise<number> {
  const text = await (await fetch(`${pod.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`catalog_fresh_reads_total{source="${source}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  pair = await startStreamingPair();
  const admin = new pg.Client({ connectionString: pair.primaryUrl('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE tourkit_catalog');
  await admin.end();
  await runMigrations(pair.primaryUrl('tourkit_catalog'), MIGRATIONS_DIR);
  await pair.waitForReplay();
  // Two catalog pods sharing one Redis cache, each reading from the standby.
  const env = {
    DATABASE_READ_URL: pair.standbyUrl('tourkit_catalog'),
    CACHE_PREFIX: `catalog-replica-test:${randomUUID()}:`,
  };
  const first = await startTestCatalog(pair.primaryUrl('tourkit_catalog'), { env });
  const second = await startTestCatalog(pair.primaryUrl('tourkit_catalog'), {
    env,
    auth: first.auth,
  });
  pods = [first, second];
});

afterAll(async () => {
  for (const pod of pods ?? []) await pod.stop();
  await pair?.stop();
});

describe('a price change behind a lagging read replica', () => {
  it('is visible on the next read through any pod, details and searches', async () => {
    const [first, second] = pods as [TestCatalog, TestCatalog];
    const created = await request(first.url)
      .post('/v1/tours')
      .set(first.internal)
      .send(tourBody({ destination: 'Lagville', priceCents: 5000 }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await pair.waitForReplay();
    // Both pods cache the tour and the search page at 5000.
    for (const pod of pods) {
      expect((await request(pod.url).get(`/v1/tours/${id}`).expect(200)).body.priceCents).toBe(
        5000,
      );
      const page = await request(pod.url).get('/v1/tours?destination=Lagville').expect(200);
      expect(page.body.items[0].priceCents).toBe(5000);
    }
    const replicaReads = await freshReads(first, 'replica');
    expect(replicaReads).toBeGreaterThan(0);

    const primaryReads = async () =>
      (await freshReads(first, 'primary')) + (await freshReads(second, 'primary'));
    const primaryBefore = await primaryReads();
    await pair.pauseReplay();
    try {
      await request(first.url)
        .patch(`/v1/tours/${id}`)
        .set(first.internal)
        .send({ priceCents: 7000 })
        .expect(200);
      // The replica really lags: reading it would show the old price.
      expect(await standbyPrice(id)).toBe(5000);

      expect((await request(second.url).get(`/v1/tours/${id}`).expect(200)).body.priceCents).toBe(
        7000,
      );
      const page = await request(second.url).get('/v1/tours?destination=Lagville').expect(200);
      expect(page.body.items[0].priceCents).toBe(7000);
      // Both refills (the details for the PATCH's answer, the search) went to the primary,
      // because the standby had not replayed the write.
      expect(await primaryReads()).toBe(primaryBefore + 2);
      // The other pod sees the same, from the entries the refills stored.
      expect((await request(first.url).get(`/v1/tours/${id}`).expect(200)).body.priceCents).toBe(
        7000,
      );
      expect(await standbyPrice(id)).toBe(5000);
    } finally {
      await pair.resumeReplay();
    }
  });

  it('reads the replica again once it has caught up', async () => {
    const [first] = pods as [TestCatalog];
    await pair.waitForReplay();
    const replicaReads = await freshReads(first, 'replica');
    const primaryReads = await freshReads(first, 'primary');
    await request(first.url).get('/v1/tours?destination=Lagville&pageSize=5').expect(200);
    expect(await freshReads(first, 'replica')).toBe(replicaReads + 1);
    expect(await freshReads(first, 'primary')).toBe(primaryReads);
  });
});
