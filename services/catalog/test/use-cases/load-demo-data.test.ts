import { createPool, type Pool } from '@tourkit/kit';
import { demoDrafts } from '../../src/domain/demo-tours.js';
import { loadDemoData } from '../../src/use-cases/load-demo-data.js';
import { migratedTestDatabase } from '../../src/testing.js';

describe('demo data', () => {
  let url: string;
  const pools: Pool[] = [];

  beforeAll(async () => {
    url = await migratedTestDatabase('catalog_seed');
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it('inserts the demo tours once when four replicas start together on an empty catalog', async () => {
    // One pool per replica, as four catalog pods would have.
    for (let replica = 0; replica < 4; replica += 1)
      pools.push(createPool(url, { name: `demo-data-replica-${replica}` }));
    const demoTours = demoDrafts(new Date()).length;

    const inserted = await Promise.all(pools.map((pool) => loadDemoData(pool)));

    expect(inserted.sort((a, b) => b - a)).toEqual([demoTours, 0, 0, 0]);
    const tours = await pools[0]!.query<{ total: number; sold_out: number }>(
      'SELECT count(*)::int AS total, count(*) FILTER (WHERE booked_seats = capacity)::int AS sold_out FROM tours',
    );
    expect(tours.rows[0]).toEqual({ total: 13, sold_out: 1 });
    expect(await loadDemoData(pools[0]!)).toBe(0);
  });
});
