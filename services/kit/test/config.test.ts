import { z } from 'zod';
import {
  ConfigError,
  databaseConfigShape,
  defineConfig,
  demoDataShape,
  env,
  loadConfig,
} from '../src/config.js';

const schema = defineConfig({
  SERVICE_NAME: z.string().default('catalog'),
  DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/tourkit_catalog'),
  CACHE_TTL_SECONDS: env.int(300, 1),
  CACHE_ENABLED: env.boolean(true),
});

describe('loadConfig', () => {
  it('applies the base defaults and the service defaults', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      SERVICE_NAME: 'catalog',
      PORT: 8080,
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_SECONDS: 0,
      CACHE_TTL_SECONDS: 300,
      CACHE_ENABLED: true,
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('coerces numbers and booleans from strings, and treats empty strings as unset', () => {
    const config = loadConfig(schema, { PORT: '9000', CACHE_ENABLED: 'false', LOG_LEVEL: '' });
    expect(config.PORT).toBe(9000);
    expect(config.CACHE_ENABLED).toBe(false);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('throws a ConfigError naming every bad variable', () => {
    let caught: unknown;
    try {
      loadConfig(schema, {
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'not a url',
        CACHE_TTL_SECONDS: '0',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      ['CACHE_TTL_SECONDS', 'DATABASE_URL', 'LOG_LEVEL', 'PORT'].sort(),
    );
    expect(error.message).toMatch(/^Invalid configuration:/);
    expect(error.message).toMatch(/PORT: /);
    expect(error.message).toMatch(/DATABASE_URL: /);
  });

  it('names a missing required variable', () => {
    const required = defineConfig({ INTERNAL_TOKEN: env.secret() });
    expect(() => loadConfig(required, {})).toThrow(/INTERNAL_TOKEN/);
  });

  it('reads PEM keys written on one line with \\n escapes', () => {
    const pemSchema = defineConfig({ JWT_PUBLIC_KEY: env.pem() });
    const config = loadConfig(pemSchema, {
      JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA\\n-----END PUBLIC KEY-----\\n',
    });
    expect(config.JWT_PUBLIC_KEY.split('\n')).toHaveLength(3);
    expect(() => loadConfig(pemSchema, { JWT_PUBLIC_KEY: 'abc' })).toThrow(
      /JWT_PUBLIC_KEY: must be a PEM block/,
    );
  });
});

describe('shared shapes', () => {
  it('databaseConfigShape: the service default URL, migrations on, pool of 10', () => {
    const local = 'postgres://postgres@127.0.0.1:5432/tourkit_widgets';
    expect(loadConfig(defineConfig(databaseConfigShape(local)), {})).toMatchObject({
      DATABASE_URL: local,
      RUN_MIGRATIONS: true,
      DB_POOL_MAX: 10,
    });
    expect(
      loadConfig(defineConfig(databaseConfigShape(local)), {
        RUN_MIGRATIONS: 'false',
        DB_POOL_MAX: '25',
      }),
    ).toMatchObject({ RUN_MIGRATIONS: false, DB_POOL_MAX: 25 });
  });

  it('databaseConfigShape without a default requires DATABASE_URL; bad values are named', () => {
    const variables = (environment: Record<string, string>) => {
      try {
        loadConfig(defineConfig(databaseConfigShape()), environment);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable).sort();
      }
    };
    expect(variables({})).toEqual(['DATABASE_URL']);
    expect(
      variables({ DATABASE_URL: 'postgres://db/x', RUN_MIGRATIONS: 'maybe', DB_POOL_MAX: '0' }),
    ).toEqual(['DB_POOL_MAX', 'RUN_MIGRATIONS']);
  });

  it('demoDataShape: no demo data unless SEED_DEMO_DATA is true', () => {
    expect(loadConfig(defineConfig(demoDataShape), {}).SEED_DEMO_DATA).toBe(false);
    expect(loadConfig(defineConfig(demoDataShape), { SEED_DEMO_DATA: 'true' }).SEED_DEMO_DATA).toBe(
      true,
    );
  });
});
