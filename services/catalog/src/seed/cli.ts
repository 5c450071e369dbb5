// `npm run -w @tourkit/catalog seed`: creates the catalog database if missing, migrates it and fills it
// with the demo tours when it is empty.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  ConfigError,
  createPool,
  ensureDatabase,
  env,
  loadConfig,
  runMigrations,
} from '@tourkit/kit';
import { seedDemoCatalog } from './demo-catalog.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

try {
  const { DATABASE_URL } = loadConfig(
    z.object({ DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/tourkit_catalog') }),
  );
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS_DIR);
  const pool = createPool(DATABASE_URL, { name: 'catalog-seed' });
  try {
    const inserted = await seedDemoCatalog(pool);
    console.log(
      inserted > 0
        ? `catalog: ${inserted} demo tours inserted`
        : 'catalog: already has tours; seed skipped',
    );
  } finally {
    await pool.end();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `catalog seed failed: ${String(error)}`,
  );
  process.exitCode = 1;
}
