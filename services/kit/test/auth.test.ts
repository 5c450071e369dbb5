import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import express from 'express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { createApp } from '../src/app.js';
import {
  createTokenSigner,
  createTokenVerifier,
  currentUser,
  generateDevKeyPair,
  requireAuth,
  requireInternalToken,
  requireSelf,
  tokenVerifierFromConfig,
} from '../src/auth.js';
import {
  defineConfig,
  internalTokenShape,
  loadConfig,
  tokenVerifierConfigShape,
} from '../src/config.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { createTestAuth } from '../src/testing.js';
import { memoryLogger } from './support/memory-logger.js';

const auth = createTestAuth();

function appWithAuth() {
  const router = express.Router();
  router.get('/v1/me', requireAuth(auth.verifier), (req, res) => {
    res.json(currentUser(req));
  });
  router.get(
    '/v1/users/:userId/bookings',
    requireAuth(auth.verifier),
    requireSelf('userId'),
    (req, res) => {
      res.json({ owner: req.params.userId });
    },
  );
  router.get('/internal/ping', requireInternalToken('internal-secret-0123456789'), (_req, res) => {
    res.json({ pong: true });
  });
  return createApp({
    name: 'auth-test',
    logger: memoryLogger().logger,
    metrics: createMetrics('auth-test', { defaultMetrics: false }),
    health: new HealthRegistry(),
    routes: router,
  });
}

describe('tokens', () => {
  it('a signed token verifies to the user (Ed25519 / EdDSA)', async () => {
    const token = await auth.signer.sign({
      id: 'u-1',
      email: 'ana@example.test',
      roles: ['customer'],
    });
    expect(await auth.verifier.verify(token)).toEqual({
      id: 'u-1',
      email: 'ana@example.test',
      roles: ['customer'],
    });
  });

  it('carries the country claim when the signer is given one, and omits it otherwise', async () => {
    const withCountry = await auth.signer.sign({
      id: 'u-2',
      email: 'bo@example.test',
      roles: [],
      country: 'DE',
    });
    expect(await auth.verifier.verify(withCountry)).toEqual({
      id: 'u-2',
      email: 'bo@example.test',
      roles: [],
      country: 'DE',
    });
    expect(await auth.verifier.verify(await auth.tokenFor('u-3'))).not.toHaveProperty('country');
    await expect(
      auth.signer.sign({ id: 'u-4', email: 'x@example.test', roles: [], country: 'France' }),
    ).rejects.toThrow(/France/);
  });

  it('drops a signed country claim that is not an ISO code instead of trusting it', async () => {
    const token = await new SignJWT({ email: 'e@example.test', roles: [], country: 'Narnia' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('u-5')
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime('5m')
      .sign(createPrivateKey(auth.privateKeyPem));
    expect(await auth.verifier.verify(token)).toEqual({
      id: 'u-5',
      email: 'e@example.test',
      roles: [],
    });
  });

  it('builds a verifier from tokenVerifierConfigShape variables (one-line PEM, default issuer and audience)', async () => {
    const config = loadConfig(
      defineConfig({ ...tokenVerifierConfigShape, ...internalTokenShape }),
      {
        JWT_PUBLIC_KEY: auth.publicKeyPem.replace(/\n/g, '\\n'),
        INTERNAL_TOKEN: 'internal-secret-0123456789',
      },
    );
    expect(config).toMatchObject({ JWT_ISSUER: 'tourkit-user', JWT_AUDIENCE: 'tourkit' });
    expect((await tokenVerifierFromConfig(config).verify(await auth.tokenFor('u-9'))).id).toBe(
      'u-9',
    );
  });

  it('works with P-256 keys (ES256)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const options = { issuer: 'tourkit-user', audience: 'tourkit' };
    const token = await createTokenSigner({ privateKeyPem: privateKey, ...options }).sign({
      id: 'u-2',
      email: 'b@x.test',
      roles: [],
    });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('ES256');
    expect(
      (await createTokenVerifier({ publicKeyPem: publicKey, ...options }).verify(token)).id,
    ).toBe('u-2');
  });

  const ours = (overrides: { ttl?: number; audience?: string; issuer?: string }) =>
    createTokenSigner({
      privateKeyPem: auth.privateKeyPem,
      issuer: auth.issuer,
      audience: auth.audience,
      ...overrides,
    }).sign({
      id: 'u-1',
      email: 'a@example.test',
      roles: [],
    });

  it.each([
    ['expired', () => ours({ ttl: -10 }), /expired/],
    ['for another audience', () => ours({ audience: 'elsewhere' }), /invalid/],
    ['from another issuer', () => ours({ issuer: 'someone-else' }), /invalid/],
    ['signed by another key', () => createTestAuth().tokenFor('u-1'), /invalid/],
    ['that is garbage', async () => 'not.a.token', /invalid/],
  ])('rejects a token %s with a 401 problem', async (_label, makeToken, detail) => {
    await expect(auth.verifier.verify(await makeToken())).rejects.toMatchObject({
      status: 401,
      detail: expect.stringMatching(detail),
    });
  });

  it('refuses a token whose header picks another algorithm (alg confusion)', async () => {
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('attacker')
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(auth.publicKeyPem));
    await expect(auth.verifier.verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('generateDevKeyPair yields PEM keys', () => {
    const { publicKeyPem, privateKeyPem } = generateDevKeyPair();
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('auth middleware', () => {
  const app = appWithAuth();

  it('sets req.user from a valid bearer token', async () => {
    const res = await request(app)
      .get('/v1/me')
      .set(await auth.authHeader('u-7', { roles: ['customer'] }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'u-7', email: 'u-7@example.test', roles: ['customer'] });
  });

  it('answers 401 problem+json without a token or with a bad one', async () => {
    const missing = await request(app).get('/v1/me');
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body.type).toBe('https://tourkit.dev/problems/unauthorized');
    const bad = await request(app).get('/v1/me').set('authorization', 'Bearer abc.def.ghi');
    expect(bad.status).toBe(401);
  });

  it('lets a user reach only their own resources (403 otherwise; admin may)', async () => {
    expect(
      (
        await request(app)
          .get('/v1/users/u-1/bookings')
          .set(await auth.authHeader('u-1'))
      ).status,
    ).toBe(200);
    const other = await request(app)
      .get('/v1/users/u-2/bookings')
      .set(await auth.authHeader('u-1'));
    expect(other.status).toBe(403);
    expect(other.body.type).toBe('https://tourkit.dev/problems/forbidden');
    const admin = await request(app)
      .get('/v1/users/u-2/bookings')
      .set(await auth.authHeader('ops', { roles: ['admin'] }));
    expect(admin.status).toBe(200);
  });

  it('guards internal routes with x-internal-token', async () => {
    expect((await request(app).get('/internal/ping')).status).toBe(401);
    expect((await request(app).get('/internal/ping').set('x-internal-token', 'wrong')).status).toBe(
      401,
    );
    const ok = await request(app)
      .get('/internal/ping')
      .set('x-internal-token', 'internal-secret-0123456789');
    expect(ok.status).toBe(200);
  });
});
