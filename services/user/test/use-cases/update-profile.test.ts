import request from 'supertest';
import { bearer, login, PASSWORD, register, userForFile } from '../support/users.js';

const t = userForFile('user_update_profile');

describe('changing a profile', () => {
  it('lets a user read and change their own profile', async () => {
    const { user } = await register(t.h, { country: 'FR' });
    const headers = await bearer(t.h, user.email);

    const me = await request(t.h.app).get('/v1/users/me').set(headers);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);

    const byId = await request(t.h.app).get(`/v1/users/${user.id}`).set(headers);
    expect(byId.body).toEqual(me.body);

    const changed = await request(t.h.app)
      .patch(`/v1/users/${user.id}`)
      .set(headers)
      .send({ country: 'de' });
    expect(changed.status).toBe(200);
    expect(changed.body.country).toBe('DE');

    const renamed = await request(t.h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ name: 'Ada King' });
    expect(renamed.body).toMatchObject({ name: 'Ada King', country: 'DE' });
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(me.body.updatedAt),
    );
  });

  it("forbids reading or changing another user's profile (403) and changes nothing", async () => {
    const { user: alice } = await register(t.h, { name: 'Alice' });
    const { user: bob } = await register(t.h, { name: 'Bob' });
    const asBob = await bearer(t.h, bob.email);

    const read = await request(t.h.app).get(`/v1/users/${alice.id}`).set(asBob);
    expect(read.status).toBe(403);
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(read.body.type).toBe('https://tourkit.dev/problems/forbidden');
    expect(JSON.stringify(read.body)).not.toContain('Alice');

    const write = await request(t.h.app)
      .patch(`/v1/users/${alice.id}`)
      .set(asBob)
      .send({ name: 'Hacked' });
    expect(write.status).toBe(403);

    const stored = await t.h.pool.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [
      alice.id,
    ]);
    expect(stored.rows[0]!.name).toBe('Alice');
  });

  it('lets an admin read any profile but not change it', async () => {
    const { user: alice } = await register(t.h, { name: 'Alice' });
    const { user: admin } = await register(t.h, { name: 'Admin' });
    await t.h.pool.query(`UPDATE users SET roles = '{customer,admin}' WHERE id = $1`, [admin.id]);
    const asAdmin = await bearer(t.h, admin.email);

    const read = await request(t.h.app).get(`/v1/users/${alice.id}`).set(asAdmin);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Alice');
    const write = await request(t.h.app)
      .patch(`/v1/users/${alice.id}`)
      .set(asAdmin)
      .send({ name: 'X' });
    expect(write.status).toBe(403);
  });

  it('changes the password only with the right currentPassword', async () => {
    const { user } = await register(t.h);
    const headers = await bearer(t.h, user.email);
    const newPassword = 'a brand new passphrase';

    const missing = await request(t.h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: newPassword });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['currentPassword']);

    const wrong = await request(t.h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: newPassword, currentPassword: 'not the password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['currentPassword']);
    expect((await login(t.h, user.email, newPassword)).status).toBe(401);

    const weak = await request(t.h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: 'short', currentPassword: PASSWORD });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);

    const changed = await request(t.h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ password: newPassword, currentPassword: PASSWORD });
    expect(changed.status).toBe(200);
    expect((await login(t.h, user.email, PASSWORD)).status).toBe(401);
    expect((await login(t.h, user.email, newPassword)).status).toBe(200);
  });

  it('rejects an empty or invalid change, naming the field', async () => {
    const { user } = await register(t.h);
    const headers = await bearer(t.h, user.email);
    const empty = await request(t.h.app).patch('/v1/users/me').set(headers).send({});
    expect(empty.status).toBe(400);
    const badCountry = await request(t.h.app)
      .patch('/v1/users/me')
      .set(headers)
      .send({ country: 'XX' });
    expect(badCountry.status).toBe(400);
    expect(badCountry.body.errors.map((e: { field: string }) => e.field)).toEqual(['country']);
  });
});
