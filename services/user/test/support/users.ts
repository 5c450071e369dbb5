import request from 'supertest';
import { startTestUser, type TestUser } from '../../src/testing.js';

/**
 * A user service on its own test database for the calling file's tests, started before them and
 * closed after; `t.h` is set by the time a test runs.
 */
export function userForFile(name = 'user'): { h: TestUser } {
  const file = {} as { h: TestUser };
  beforeAll(async () => {
    file.h = await startTestUser(name);
  });
  afterAll(async () => {
    await file.h?.close();
  });
  return file;
}

export async function countUsers(h: TestUser): Promise<number> {
  const result = await h.pool.query<{ count: string }>('SELECT count(*) FROM users');
  return Number(result.rows[0]!.count);
}

let sequence = 0;
export function uniqueEmail(prefix = 'traveller'): string {
  sequence += 1;
  return `${prefix}.${sequence}.${Date.now()}@example.com`;
}

export const PASSWORD = 'correct horse battery';

/** Registers a user (a unique e-mail unless overridden) and expects 201. */
export async function register(h: TestUser, overrides: Record<string, unknown> = {}) {
  const body = {
    email: uniqueEmail(),
    password: PASSWORD,
    name: 'Ada Lovelace',
    country: 'FR',
    ...overrides,
  };
  const response = await request(h.app).post('/v1/users').send(body);
  expect(response.status).toBe(201);
  return {
    user: response.body as { id: string; email: string },
    password: body.password as string,
  };
}

export async function login(h: TestUser, email: string, password: string) {
  return request(h.app).post('/v1/auth/login').send({ email, password });
}

/** The bearer header of a login that must succeed. */
export async function bearer(h: TestUser, email: string, password = PASSWORD) {
  const response = await login(h, email, password);
  expect(response.status).toBe(200);
  return { authorization: `Bearer ${response.body.accessToken as string}` };
}
