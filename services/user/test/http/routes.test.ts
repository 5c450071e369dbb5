import request from 'supertest';
import { bearer, login, register, userForFile } from '../support/users.js';

const t = userForFile('user');

describe('operations', () => {
  it('reports the database in /health and counts logins in /metrics', async () => {
    // One login of each outcome here, so the test does not lean on another file's logins.
    const { user } = await register(t.h);
    await bearer(t.h, user.email);
    expect((await login(t.h, user.email, 'not the password')).status).toBe(401);
    const health = await request(t.h.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.checks.db.status).toBe('UP');
    const metrics = await request(t.h.app).get('/metrics');
    expect(metrics.text).toMatch(/user_logins_total\{outcome="success"\} \d+/);
    expect(metrics.text).toMatch(/user_logins_total\{outcome="invalid_credentials"\} \d+/);
  });
});

describe('own OpenAPI document', () => {
  it('is served at /openapi.yaml for the gateway to aggregate', async () => {
    const response = await request(t.h.app).get('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/yaml/);
    expect(response.text).toMatch(/^openapi: 3\.1\.0\ninfo:\n {2}title: Tourkit user service/m);
  });
});
