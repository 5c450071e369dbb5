import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { closedPort } from '@tourkit/kit/testing';
import {
  cacheRequests,
  migratedTestDatabase,
  startTestCatalog,
  tourBody,
  type TestCatalog,
} from '../../src/testing.js';

let databaseUrl: string;
let catalog: TestCatalog;

beforeAll(async () => {
  databaseUrl = await migratedTestDatabase('catalog_cache');
  catalog = await startTestCatalog(databaseUrl);
});

afterAll(async () => {
  await catalog.stop();
});

async function createParisTour(title: string) {
  const response = await request(catalog.url)
    .post('/v1/tours')
    .set(catalog.internal)
    .send(tourBody({ title }));
  expect(response.status).toBe(201);
  return response.body as { id: string };
}

/** Changes a row behind the catalog's back, so only a cache miss can show it. */
async function renameInDatabase(id: string, title: string) {
  await catalog.primary.query('UPDATE tours SET title = $2 WHERE id = $1', [id, title]);
}

const search = '/v1/tours?destination=Paris&available=true';

describe('cache', () => {
  it('misses, then hits, and serves the cached page until a write invalidates it', async () => {
    const tour = await createParisTour('Original');
    const misses = await cacheRequests(catalog.url, 'miss');
    const hits = await cacheRequests(catalog.url, 'hit');

    expect((await request(catalog.url).get(search).expect(200)).body.items[0].title).toBe(
      'Original',
    );
    expect(await cacheRequests(catalog.url, 'miss')).toBe(misses + 1);
    await request(catalog.url).get(search).expect(200);
    expect(await cacheRequests(catalog.url, 'hit')).toBe(hits + 1);

    await renameInDatabase(tour.id, 'Changed behind the cache');
    expect((await request(catalog.url).get(search).expect(200)).body.items[0].title).toBe(
      'Original',
    );

    // Any write through the API (here a seat reservation) invalidates searches and details.
    await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 1 })
      .expect(200);
    const fresh = await request(catalog.url).get(search).expect(200);
    expect(fresh.body.items[0]).toMatchObject({
      title: 'Changed behind the cache',
      bookedSeats: 1,
    });
  });

  it('answers a hit with the same bytes, content type and ETag as the miss that stored it', async () => {
    const tour = await createParisTour('Sacré-Cœur at dawn');
    const miss = await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    const hit = await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(miss.body.title).toBe('Sacré-Cœur at dawn');
    expect(hit.text).toBe(miss.text);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers.etag).toBe(miss.headers.etag);
    await request(catalog.url)
      .get(`/v1/tours/${tour.id}`)
      .set('if-none-match', hit.headers.etag!)
      .expect(304);
  });

  it('caches details and invalidates them on a patch', async () => {
    const tour = await createParisTour('Detail');
    await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    await renameInDatabase(tour.id, 'Stale?');
    expect((await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200)).body.title).toBe(
      'Detail',
    );
    await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(catalog.internal)
      .send({ description: 'new' })
      .expect(200);
    expect((await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200)).body).toMatchObject(
      {
        title: 'Stale?',
        description: 'new',
      },
    );
  });

  it('a seat change invalidates only that tour and the searches it can appear on', async () => {
    const booked = await createParisTour('Booked');
    const other = await createParisTour('Other Paris tour');
    const lyonBody = tourBody({ title: 'Lyon tour', destination: 'Lyon' });
    const lyon = (await request(catalog.url).post('/v1/tours').set(catalog.internal).send(lyonBody))
      .body as { id: string };
    const lyonSearch = '/v1/tours?destination=lyon';
    const allSearch = '/v1/tours?pageSize=100';
    const titles = async (path: string) =>
      (await request(catalog.url).get(path).expect(200)).body.items.map(
        (t: { title: string }) => t.title,
      ) as string[];

    // Warm the cache, then change every row behind its back: only a miss can show the changes.
    await request(catalog.url).get(`/v1/tours/${other.id}`).expect(200);
    await request(catalog.url).get(`/v1/tours/${booked.id}`).expect(200);
    expect(await titles(lyonSearch)).toContain('Lyon tour');
    await titles(allSearch);
    await renameInDatabase(other.id, 'Other, renamed');
    await renameInDatabase(lyon.id, 'Lyon, renamed');

    await request(catalog.url)
      .post(`/internal/tours/${booked.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 2 })
      .expect(200);

    // The changed tour and a search without destination (it can hold any tour) are fresh...
    expect((await request(catalog.url).get(`/v1/tours/${booked.id}`)).body.bookedSeats).toBe(2);
    expect(await titles(allSearch)).toEqual(
      expect.arrayContaining(['Other, renamed', 'Lyon, renamed']),
    );
    // ...another tour's details and another destination's searches are still served from the cache.
    expect((await request(catalog.url).get(`/v1/tours/${other.id}`)).body.title).toBe(
      'Other Paris tour',
    );
    expect(await titles(lyonSearch)).toContain('Lyon tour');
  });

  it('a destination change invalidates the searches of both destinations', async () => {
    const moving = await createParisTour('Moving tour');
    const nice = '/v1/tours?destination=Nice';
    expect((await request(catalog.url).get(nice).expect(200)).body.total).toBe(0);
    const paris = (await request(catalog.url).get(search).expect(200)).body.items;
    expect(paris.map((t: { id: string }) => t.id)).toContain(moving.id);
    await request(catalog.url)
      .patch(`/v1/tours/${moving.id}`)
      .set(catalog.internal)
      .send({ destination: 'Nice' })
      .expect(200);
    expect((await request(catalog.url).get(nice).expect(200)).body.items[0].id).toBe(moving.id);
    const after = (await request(catalog.url).get(search).expect(200)).body.items;
    expect(after.map((t: { id: string }) => t.id)).not.toContain(moving.id);
  });

  it('does not cache a 404, so a tour is visible as soon as it is created', async () => {
    const id = '6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d11';
    await request(catalog.url).get(`/v1/tours/${id}`).expect(404);
    await catalog.primary.query(
      `INSERT INTO tours (id, title, destination, country, starts_at, duration_hours, capacity, price_cents,
                          effective_price_cents, operator_email)
       VALUES ($1, 'Late', 'Paris', 'FR', now() + interval '3 days', 2, 5, 100, 100, 'op@example.test')`,
      [id],
    );
    await request(catalog.url).get(`/v1/tours/${id}`).expect(200);
  });

  it('expires entries after CACHE_TTL_SECONDS', async () => {
    const ttlCatalog = await startTestCatalog(databaseUrl, {
      env: { CACHE_TTL_SECONDS: '42' },
      auth: catalog.auth,
    });
    try {
      await request(ttlCatalog.url).get('/v1/tours?destination=Lyon').expect(200);
      const keys = await ttlCatalog.cache.redis.keys(`${ttlCatalog.config.CACHE_PREFIX}e:search*`);
      expect(keys).toHaveLength(1);
      const ttl = await ttlCatalog.cache.redis.ttl(keys[0]!);
      expect(ttl).toBeGreaterThan(30);
      expect(ttl).toBeLessThanOrEqual(42);
    } finally {
      await ttlCatalog.stop();
    }
  });
});

describe('Redis down', () => {
  let degraded: TestCatalog;
  beforeAll(async () => {
    degraded = await startTestCatalog(databaseUrl, {
      env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` },
      auth: catalog.auth,
    });
  });
  afterAll(async () => {
    await degraded.stop();
  });

  it('still answers searches, details and writes from Postgres', async () => {
    const listed = await request(degraded.url).get(search).expect(200);
    expect(listed.body.total).toBeGreaterThan(0);
    const id = listed.body.items[0].id as string;
    await request(degraded.url).get(`/v1/tours/${id}`).expect(200);
    await renameInDatabase(id, 'Seen at once without a cache');
    expect((await request(degraded.url).get(`/v1/tours/${id}`).expect(200)).body.title).toBe(
      'Seen at once without a cache',
    );
    await request(degraded.url)
      .post(`/internal/tours/${id}/seats`)
      .set(degraded.internal)
      .send({ delta: 1 })
      .expect(200);
  });

  it('reports DEGRADED on /health with the cache down, and stays ready', async () => {
    const health = await request(degraded.url).get('/health').expect(200);
    expect(health.body.status).toBe('DEGRADED');
    expect(health.body.checks.cache).toMatchObject({ status: 'DOWN', critical: false });
    expect(health.body.checks.db).toMatchObject({ status: 'UP', critical: true });
    await request(degraded.url).get('/readyz').expect(200);
    expect((await request(catalog.url).get('/health').expect(200)).body.status).toBe('UP');
  });
});
