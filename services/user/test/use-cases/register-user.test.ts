import { createPublicKey, verify as verifySignature } from 'node:crypto';
import request from 'supertest';
import { INTERNAL_TOKEN } from '../../src/testing.js';
import {
  bearer,
  countUsers,
  login,
  PASSWORD,
  register,
  uniqueEmail,
  userForFile,
} from '../support/users.js';

const t = userForFile('user_register');

describe('registering', () => {
  it('registers, logs in, and issues a token that verifies with the published public key', async () => {
    const email = uniqueEmail();
    const created = await request(t.h.app)
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

    const loggedIn = await login(t.h, email, PASSWORD);
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.headers['cache-control']).toBe('no-store');
    expect(loggedIn.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: t.h.config.ACCESS_TOKEN_TTL_SECONDS,
    });

    // What any other service does: verify with the public key only.
    const claims = await t.h.auth.verifier.verify(loggedIn.body.accessToken);
    expect(claims).toEqual({ id: created.body.id, email, roles: ['customer'], country: 'FR' });

    // And with the JWK set the service publishes.
    const jwks = await request(t.h.app).get('/.well-known/jwks.json');
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
    const { user } = await register(t.h);
    const stored = await t.h.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );
    const hash = stored.rows[0]!.password_hash;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain(PASSWORD);

    const headers = await bearer(t.h, user.email);
    for (const response of [
      await request(t.h.app).get('/v1/users/me').set(headers),
      await request(t.h.app).get(`/v1/users/${user.id}`).set(headers),
      await request(t.h.app).patch('/v1/users/me').set(headers).send({ name: 'Renamed' }),
      await request(t.h.app)
        .get(`/internal/users/${user.id}`)
        .set('x-internal-token', INTERNAL_TOKEN),
    ]) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|password/i);
    }
  });

  it('refuses a second account with the same e-mail in another case (409) and writes nothing', async () => {
    const { user } = await register(t.h);
    const before = await countUsers(t.h);
    const response = await request(t.h.app)
      .post('/v1/users')
      .send({ email: user.email.toUpperCase(), password: PASSWORD, name: 'Copy', country: 'DE' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'https://tourkit.dev/problems/email-taken',
      status: 409,
    });
    expect(await countUsers(t.h)).toBe(before);
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
    const before = await countUsers(t.h);
    const response = await request(t.h.app)
      .post('/v1/users')
      .send({ ...valid(), ...override });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe('https://tourkit.dev/problems/validation-failed');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await countUsers(t.h)).toBe(before);
  });

  it('names every bad field at once', async () => {
    const response = await request(t.h.app).post('/v1/users').send({ email: 'x', password: 'y' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'email',
      'name',
      'password',
    ]);
  });

  it('refuses malformed JSON with a problem', async () => {
    const response = await request(t.h.app)
      .post('/v1/users')
      .set('content-type', 'application/json')
      .send('{"email":');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('does not let a client choose its roles', async () => {
    const response = await request(t.h.app)
      .post('/v1/users')
      .send({ ...valid(), roles: ['admin'] });
    expect(response.status).toBe(201);
    expect(response.body.roles).toEqual(['customer']);
  });
});
