import request from 'supertest';
import { bearer, register, userForFile } from '../support/users.js';

const t = userForFile('user_get_profile');

describe('reading a profile', () => {
  it('requires a bearer token', async () => {
    const response = await request(t.h.app).get('/v1/users/me');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('rejects a token signed with another key', async () => {
    const { user } = await register(t.h);
    const { createTestAuth } = await import('@tourkit/kit/testing');
    const forged = await createTestAuth().authHeader(user.id, { roles: ['admin'] });
    expect((await request(t.h.app).get('/v1/users/me').set(forged)).status).toBe(401);
  });

  it('answers 404 for an admin reading a missing user and 400 for a malformed id', async () => {
    const { user: admin } = await register(t.h);
    await t.h.pool.query(`UPDATE users SET roles = '{customer,admin}' WHERE id = $1`, [admin.id]);
    const asAdmin = await bearer(t.h, admin.email);
    const missing = await request(t.h.app)
      .get('/v1/users/00000000-0000-4000-8000-000000000000')
      .set(asAdmin);
    expect(missing.status).toBe(404);
    const malformed = await request(t.h.app).get('/v1/users/not-a-uuid').set(asAdmin);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
  });
});
