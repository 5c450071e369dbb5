import { createPool, runMigrations, type Pool } from '@tourkit/kit';
import { createTestDatabase } from '@tourkit/kit/testing';
import { EmailTakenError } from '../../src/domain/errors.js';
import { createUserRepository, type UserRepository } from '../../src/store/users.js';
import { MIGRATIONS_DIR } from '../../src/server.js';

let pool: Pool;
let repository: UserRepository;

beforeAll(async () => {
  const url = await createTestDatabase('user_repository');
  await runMigrations(url, MIGRATIONS_DIR);
  pool = createPool(url, { name: 'test', max: 2 });
  repository = createUserRepository(pool);
});

afterAll(async () => {
  await pool.end();
});

const newUser = (email: string) => ({
  email,
  passwordHash: '$argon2id$x',
  name: 'N',
  country: 'FR',
});

describe('users table and repository', () => {
  it('applies migrations once: a second run has nothing to do', async () => {
    const url = await createTestDatabase('user_migrations');
    expect(await runMigrations(url, MIGRATIONS_DIR)).toEqual(['1732406400000_create-users']);
    expect(await runMigrations(url, MIGRATIONS_DIR)).toEqual([]);
  });

  it('defaults roles to customer and stores e-mails lower-cased', async () => {
    const user = await repository.create(newUser('Mixed.Case@Example.com'));
    expect(user.roles).toEqual(['customer']);
    expect(user.email).toBe('mixed.case@example.com');
    expect(await repository.findByEmail('MIXED.case@example.COM')).toMatchObject({ id: user.id });
  });

  it('enforces case-insensitive uniqueness in the database itself', async () => {
    await repository.create(newUser('unique@example.com'));
    await expect(repository.create(newUser('UNIQUE@example.com'))).rejects.toBeInstanceOf(
      EmailTakenError,
    );
    await expect(
      pool.query(
        `INSERT INTO users (email, password_hash, name, country) VALUES ('unique@example.com', 'h', 'n', 'FR')`,
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('refuses a malformed country or an upper-case e-mail written around the repository', async () => {
    await expect(
      pool.query(
        `INSERT INTO users (email, password_hash, name, country) VALUES ('c@example.com', 'h', 'n', 'fr')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      pool.query(
        `INSERT INTO users (email, password_hash, name, country) VALUES ('D@example.com', 'h', 'n', 'FR')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('updates only the given columns and bumps updated_at', async () => {
    const user = await repository.create(newUser('update@example.com'));
    const updated = await repository.update(user.id, { country: 'DE' });
    expect(updated).toMatchObject({ name: 'N', country: 'DE', passwordHash: '$argon2id$x' });
    expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(user.updatedAt.getTime());
    expect(
      await repository.update('00000000-0000-4000-8000-000000000000', { name: 'x' }),
    ).toBeUndefined();
  });

  it('treats SQL in values as data', async () => {
    const email = "o'brien+x@example.com";
    const user = await repository.create({
      ...newUser(email),
      name: "Robert'); DROP TABLE users;--",
    });
    expect((await repository.findById(user.id))?.name).toBe("Robert'); DROP TABLE users;--");
  });
});
