// `npm run -w @tourkit/catalog demo-data`: creates the catalog database if missing, migrates it and
// fills it with the demo tours when it is empty. A dev tool: it lives outside src/, so no image has it.
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
import { loadDemoData } from '../src/use-cases/load-demo-data.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

try {
  const { DATABASE_URL } = loadConfig(
    z.object({ DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/tourkit_catalog') }),
  );
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS_DIR);
  const pool = createPool(DATABASE_URL, { name: 'catalog-demo-data' });
  try {
    const inserted = await loadDemoData(pool);
    console.log(
      inserted > 0
        ? `catalog: ${inserted} demo tours inserted`
        : 'catalog: already has tours; demo data skipped',
    );
  } finally {
    await pool.end();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `catalog demo data failed: ${String(error)}`,
  );
  process.exitCode = 1;
}
