import { createPublicKey, verify as verifySignature } from 'node:crypto';
import request from 'supertest';
import { createLogger } from '@tourkit/kit';
import { createUserApp } from '../../src/app.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/domain/password.js';
import { INTERNAL_TOKEN, startTestUser, type TestUser } from '../../src/testing.js';

let h: TestUser;

beforeAll(async () => {
  h = await startTestUser('user');
});

afterAll(async () => {
  await h.close();
});

async function countUsers(): Promise<number> {
  const result = await h.pool.query<{ count: string }>('SELECT count(*) FROM users');
  return Number(result.rows[0]!.count);
}

let sequence = 0;
function uniqueEmail(prefix = 'traveller'): string {
  sequence += 1;
  return `${prefix}.${sequence}.${Date.now()}@example.com`;
}

const PASSWORD = 'correct horse battery';

async function register(overrides: Record<string, unknown> = {}) {
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

async function login(email: string, password: string) {
  return request(h.app).post('/v1/auth/login').send({ email, password });
}

async function bearer(email: string, password = PASSWORD) {
  const response = await login(email, password);
  expect(response.status).toBe(200);
  return { authorization: `Bearer ${response.body.accessToken as string}` };
}

describe('registration and login', () => {
  it('registers, logs in, and issues a token that verifies with the published public key', async () => {
    const email = uniqueEmail();
    const created = await request(h.app)
      .post('/v1/users')
      .send({ email: email.toUpperCase(), password: PASSWORD, name: ' Ada ', country: 'fr' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/users/${created.body.id}`);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[\da-f-]{36}$/),
      email,
      name: 'Ada',
      country: 'FR',
      roles: ['customer'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const loggedIn = await login(email, PASSWORD);
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.headers['cache-control']).toBe('no-store');
    expect(loggedIn.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: h.config.ACCESS_TOKEN_TTL_SECONDS,
    });

    // What any other service does: verify with the public key only.
    const claims = await h.auth.verifier.verify(loggedIn.body.accessToken);
    expect(claims).toEqual({ id: created.body.id, email, roles: ['customer'], country: 'FR' });

    // And with the JWK set the service publishes.
    const jwks = await request(h.app).get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const [jwk] = jwks.body.keys;
    expect(jwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: expect.any(String),
    });
    expect(jwk).not.toHaveProperty('d');
    const [header, payload, signature] = (loggedIn.body.accessToken as string).split('.');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(
      verifySignature(
        null,
        Buffer.from(`${header}.${payload}`),
        key,
        Buffer.from(signature!, 'base64url'),
      ),
    ).toBe(true);
  });

  it('stores an argon2id hash and never returns it', async () => {
    const { user } = await register();
    const stored = await h.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );
    const hash = stored.rows[0]!.password_hash;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain(PASSWORD);

    const headers = await bearer(user.email);
    for (const response of [
      await request(h.app).get('/v1/users/me').set(headers),
      await request(h.app).get(`/v1/users/${user.id}`).set(headers),
      await request(h.app).patch('/v1/users/me').set(headers).send({ name: 'Renamed' }),
      await request(h.app)
        .get(`/internal/users/${user.id}`)
        .set('x-internal-token', INTERNAL_TOKEN),
    ]) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|password/i);
    }
  });

  it('refuses a second account with the same e-mail in another case (409) and writes nothing', async () => {
    const { user } = await register();
    const before = await countUsers();
    const response = await request(h.app)
      .post('/v1/users')
      .send({ email: user.email.toUpperCase(), password: PASSWORD, name: 'Copy', country: 'DE' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'https://tourkit.dev/problems/email-taken',
      status: 409,
    });
    expect(await countUsers()).toBe(before);
  });

  it('answers 401 with the same problem for a wrong password and an unknown e-mail', async () => {
    const { user } = await register();
    const wrongPassword = await login(user.email, 'not the password');
    const unknownEmail = await login(uniqueEmail('nobody'), 'not the password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.type).toBe('https://tourkit.dev/problems/invalid-credentials');
  });

  it('runs the KDF for an unknown e-mail as for a known one', async () => {
    const real = createPasswordHasher();
    const kdfRuns = { count: 0 };
    const counting: PasswordHasher = {
      ...real,
      verify: (hash, password) => ((kdfRuns.count += 1), real.verify(hash, password)),
      verifyAgainstDummy: (password) => ((kdfRuns.count += 1), real.verifyAgainstDummy(password)),
    };
    const counted = createUserApp(h.config, {
      logger: createLogger('user', 'silent'),
      hasher: counting,
    });
    try {
      const { user } = await register();
      const attempt = (email: string) =>
        request(counted.app).post('/v1/auth/login').send({ email, password: 'not the password' });

      expect((await attempt(user.email)).status).toBe(401);
      expect(kdfRuns.count).toBe(1);
      expect((await attempt(uniqueEmail('nobody'))).status).toBe(401);
      expect(kdfRuns.count).toBe(2);
    } finally {
      await counted.close();
    }
  });

  it('logs in whatever the case of the e-mail', async () => {
    const { user } = await register();
    expect((await login(user.email.toUpperCase(), PASSWORD)).status).toBe(200);
  });
});

describe('bad registration input → 400 naming the field, nothing written', () => {
  const valid = () => ({ email: uniqueEmail(), password: PASSWORD, name: 'Ada', country: 'FR' });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: undefined }],
    ['password', { password: 'too short' }],
    ['password', { password: 1234567890123 }],
    ['name', { name: '' }],
    ['country', { country: 'ZZ' }],
    ['country', { country: 'FRA' }],
  ])('%s: %j', async (field, override) => {
    const before = await countUsers();
    const response = await request(h.app)
      .post('/v1/users')
      .send({ ...valid(), ...override });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe('https://tourkit.dev/problems/validation-failed');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await countUsers()).toBe(before);
  });

  it('names every bad field at once', async () => {
    const response = await request(h.app).post('/v1/users').send({ email: 'x', password: 'y' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'email',
      'name',
      'password',
    ]);
  });

  it('refuses malformed JSON with a problem', async () => {
    const response = await request(h.app)
      .post('/v1/users')
      .set('content-type', 'application/json')
      .send('{"email":');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('does not let a client choose its roles', async () => {
    const response = await request(h.app)
      .post('/v1/users')
      .send({ ...valid(), roles: ['admin'] });
    expect(response.status).toBe(201);
    expect(response.body.roles).toEqual(['customer']);
  });

  it('rejects a login without a password, naming it', async () => {
    const response = await request(h.app).post('/v1/auth/login').send({ email: 'a@b.fr' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);
  });
});

describe('profiles', () => {
  it('requires a bearer token', async () => {
    const response = await request(h.app).get('/v1/users/me');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('rejects a token signed with another key', async () => {
    const { user } = await register();
    const { createTestAuth } = await import('@tourkit/kit/testing');
    const forged = await createTestAuth().authHeader(user.id, { roles: ['admin'] });
    expect((await request(h.app).get('/v1/users/me').set(forged)).status).toBe(401);
  });

  it('lets a user read and change their own profile', async () => {
    const { user } = await register({ country: 'FR' });
    const headers = await bearer(user.email);

    const me = await request(h.app).get('/v1/users/me').set(headers);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);

    const byId = await request(h.app).get(`/v1/users/${user.id}`).set(headers);
    expect(byId.body).toEqual(me.body);

    const changed = await request(h.app)
      .patch(`/v1/users/${user.id}`)
      .set(headers)
      .send({ country: 'de' });
    expect(changed.status).toBe(200);
    expect(changed.body.country).toBe('DE');

    const renamed = await request(h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ name: 'Ada King' });
    expect(renamed.body).toMatchObject({ name: 'Ada King', country: 'DE' });
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(me.body.updatedAt),
    );
  });

  it("forbids reading or changing another user's profile (403) and changes nothing", async () => {
    const { user: alice } = await register({ name: 'Alice' });
    const { user: bob } = await register({ name: 'Bob' });
    const asBob = await bearer(bob.email);

    const read = await request(h.app).get(`/v1/users/${alice.id}`).set(asBob);
    expect(read.status).toBe(403);
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(read.body.type).toBe('https://tourkit.dev/problems/forbidden');
    expect(JSON.stringify(read.body)).not.toContain('Alice');

    const write = await request(h.app)
      .patch(`/v1/users/${alice.id}`)
      .set(asBob)
      .send({ name: 'Hacked' });
    expect(write.status).toBe(403);

    const stored = await h.pool.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [
      alice.id,
    ]);
    expect(stored.rows[0]!.name).toBe('Alice');
  });

  it('lets an admin read any profile but not change it', async () => {
    const { user: alice } = await register({ name: 'Alice' });
    const { user: admin } = await register({ name: 'Admin' });
    await h.pool.query(`UPDATE users SET roles = '{customer,admin}' WHERE id = $1`, [admin.id]);
    const asAdmin = await bearer(admin.email);

    const read = await request(h.app).get(`/v1/users/${alice.id}`).set(asAdmin);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Alice');
    const write = await request(h.app)
      .patch(`/v1/users/${alice.id}`)
      .set(asAdmin)
      .send({ name: 'X' });
    expect(write.status).toBe(403);
  });

  it('answers 404 for an admin reading a missing user and 400 for a malformed id', async () => {
    const { user: admin } = await register();
    await h.pool.query(`UPDATE users SET roles = '{customer,admin}' WHERE id = $1`, [admin.id]);
    const asAdmin = await bearer(admin.email);
    const missing = await request(h.app)
      .get('/v1/users/00000000-0000-4000-8000-000000000000')
      .set(asAdmin);
    expect(missing.status).toBe(404);
    const malformed = await request(h.app).get('/v1/users/not-a-uuid').set(asAdmin);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
  });

  it('changes the password only with the right currentPassword', async () => {
    const { user } = await register();
    const headers = await bearer(user.email);
    const newPassword = 'a brand new passphrase';

    const missing = await request(h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: newPassword });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['currentPassword']);

    const wrong = await request(h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: newPassword, currentPassword: 'not the password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['currentPassword']);
    expect((await login(user.email, newPassword)).status).toBe(401);

    const weak = await request(h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: 'short', currentPassword: PASSWORD });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);

    const changed = await request(h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: newPassword, currentPassword: PASSWORD });
    expect(changed.status).toBe(200);
    expect((await login(user.email, PASSWORD)).status).toBe(401);
    expect((await login(user.email, newPassword)).status).toBe(200);
  });

  it('rejects an empty or invalid change, naming the field', async () => {
    const { user } = await register();
    const headers = await bearer(user.email);
    const empty = await request(h.app).patch('/v1/users/me').set(headers).send({});
    expect(empty.status).toBe(400);
    const badCountry = await request(h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ country: 'XX' });
    expect(badCountry.status).toBe(400);
    expect(badCountry.body.errors.map((e: { field: string }) => e.field)).toEqual(['country']);
  });
});

describe('internal endpoint', () => {
  it('returns contact data to a caller with the internal token', async () => {
    const { user } = await register({ name: 'Grace', country: 'DE' });
    const response = await request(h.app)
      .get(`/internal/users/${user.id}`)
      .set('x-internal-token', INTERNAL_TOKEN);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: user.id, email: user.email, name: 'Grace', country: 'DE' });
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'internal-token-for-tests-WRONG!!!!!'],
    ['an empty token', ''],
  ])('refuses %s with 401', async (_label, token) => {
    const { user } = await register();
    const call = request(h.app).get(`/internal/users/${user.id}`);
    const response = await (token === undefined ? call : call.set('x-internal-token', token));
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toHaveProperty('email');
  });

  it("does not accept a user's bearer token instead of the internal token", async () => {
    const { user } = await register();
    const headers = await bearer(user.email);
    expect((await request(h.app).get(`/internal/users/${user.id}`).set(headers)).status).toBe(401);
  });

  it('answers 404 for an unknown user', async () => {
    const response = await request(h.app)
      .get('/internal/users/00000000-0000-4000-8000-000000000000')
      .set('x-internal-token', INTERNAL_TOKEN);
    expect(response.status).toBe(404);
  });
});

describe('operations', () => {
  it('reports the database in /health and counts logins in /metrics', async () => {
    const health = await request(h.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.checks.db.status).toBe('UP');
    const metrics = await request(h.app).get('/metrics');
    expect(metrics.text).toMatch(/user_logins_total\{outcome="success"\} \d+/);
    expect(metrics.text).toMatch(/user_logins_total\{outcome="invalid_credentials"\} \d+/);
  });
});

describe('own OpenAPI document', () => {
  it('is served at /openapi.yaml for the gateway to aggregate', async () => {
    const response = await request(h.app).get('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/yaml/);
    expect(response.text).toMatch(/^openapi: 3\.1\.0\ninfo:\n {2}title: Tourkit user service/m);
  });
});
