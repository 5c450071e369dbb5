import request from 'supertest';
import { INTERNAL_TOKEN } from '../../src/testing.js';
import { bearer, register, userForFile } from '../support/users.js';

const t = userForFile('user_find');

describe('internal endpoint', () => {
  it('returns contact data to a caller with the internal token', async () => {
    const { user } = await register(t.h, { name: 'Grace', country: 'DE' });
    const response = await request(t.h.app)
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
    const { user } = await register(t.h);
    const call = request(t.h.app).get(`/internal/users/${user.id}`);
    const response = await (token === undefined ? call : call.set('x-internal-token', token));
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toHaveProperty('email');
  });

  it("does not accept a user's bearer token instead of the internal token", async () => {
    const { user } = await register(t.h);
    const headers = await bearer(t.h, user.email);
    expect((await request(t.h.app).get(`/internal/users/${user.id}`).set(headers)).status).toBe(
      401,
    );
  });

  it('answers 404 for an unknown user', async () => {
    const response = await request(t.h.app)
      .get('/internal/users/00000000-0000-4000-8000-000000000000')
      .set('x-internal-token', INTERNAL_TOKEN);
    expect(response.status).toBe(404);
  });
});
