import request from 'supertest';
import { createLogger } from '@tourkit/kit';
import { createUserApp } from '../../src/app.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/domain/password.js';
import { login, PASSWORD, register, uniqueEmail, userForFile } from '../support/users.js';

const t = userForFile('user_log_in');

describe('logging in', () => {
  it('answers 401 with the same problem for a wrong password and an unknown e-mail', async () => {
    const { user } = await register(t.h);
    const wrongPassword = await login(t.h, user.email, 'not the password');
    const unknownEmail = await login(t.h, uniqueEmail('nobody'), 'not the password');
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
    const counted = createUserApp(t.h.config, {
      logger: createLogger('user', 'silent'),
      hasher: counting,
    });
    try {
      const { user } = await register(t.h);
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
    const { user } = await register(t.h);
    expect((await login(t.h, user.email.toUpperCase(), PASSWORD)).status).toBe(200);
  });

  it('rejects a login without a password, naming it', async () => {
    const response = await request(t.h.app).post('/v1/auth/login').send({ email: 'a@b.fr' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);
  });
});
