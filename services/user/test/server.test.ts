import { ConfigError } from '@tourkit/kit';
import { createTestAuth, createTestDatabase } from '@tourkit/kit/testing';
import { loadUserConfig } from '../src/config.js';
import { startUserService } from '../src/server.js';

describe('start-up', () => {
  it('stops on a missing or bad variable, naming it', () => {
    const attempt = () => loadUserConfig({ JWT_PUBLIC_KEY: 'not a pem', INTERNAL_TOKEN: 'short' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const variables = (error as ConfigError).problems.map((problem) => problem.variable).sort();
      expect(variables).toEqual(['INTERNAL_TOKEN', 'JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY']);
    }
  });

  it('migrates, serves, reports ready, and shuts down cleanly', async () => {
    const auth = createTestAuth();
    const handle = await startUserService({
      environment: {
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: await createTestDatabase('user_server'),
        JWT_PRIVATE_KEY: auth.privateKeyPem.replace(/\n/g, '\\n'),
        JWT_PUBLIC_KEY: auth.publicKeyPem,
        INTERNAL_TOKEN: 'internal-token-for-tests-0123456789',
      },
      handleSignals: false,
    });
    try {
      const ready = await fetch(`${handle.url}/readyz`);
      expect(ready.status).toBe(200);
      const registered = await fetch(`${handle.url}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'boot@example.com',
          password: 'long enough pw',
          name: 'B',
          country: 'FR',
        }),
      });
      expect(registered.status).toBe(201);
    } finally {
      await handle.close();
    }
    await expect(fetch(`${handle.url}/livez`)).rejects.toThrow();
  });
});
