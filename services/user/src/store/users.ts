import type { Pool, PoolClient } from '@tourkit/kit';
import { EmailTakenError } from '../domain/errors.js';
import type { User } from '../domain/user.js';

type Queryable = Pick<Pool | PoolClient, 'query'>;

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  country: string;
  roles: string[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, email, password_hash, name, country, roles, created_at, updated_at';
const UNIQUE_VIOLATION = '23505';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    name: row.name,
    country: row.country,
    roles: row.roles,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewUser {
  email: string;
  passwordHash: string;
  name: string;
  country: string;
}

export interface UserChanges {
  name?: string;
  country?: string;
  passwordHash?: string;
}

export interface UserRepository {
  create(user: NewUser): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  update(id: string, changes: UserChanges): Promise<User | undefined>;
}

export function createUserRepository(db: Queryable): UserRepository {
  return {
    async create(user) {
      try {
        const result = await db.query<UserRow>(
          `INSERT INTO users (email, password_hash, name, country)
           VALUES (lower($1), $2, $3, $4)
           RETURNING ${COLUMNS}`,
          [user.email, user.passwordHash, user.name, user.country],
        );
        return toUser(result.rows[0]!);
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new EmailTakenError();
        throw error;
      }
    },

    async findById(id) {
      const result = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return result.rows[0] && toUser(result.rows[0]);
    },

    async findByEmail(email) {
      const result = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
        [email],
      );
      return result.rows[0] && toUser(result.rows[0]);
    },

    async update(id, changes) {
      // COALESCE keeps a column when its change is absent; the statement text never varies.
      const result = await db.query<UserRow>(
        `UPDATE users
            SET name = COALESCE($2, name),
                country = COALESCE($3, country),
                password_hash = COALESCE($4, password_hash),
                updated_at = now()
          WHERE id = $1
          RETURNING ${COLUMNS}`,
        [id, changes.name ?? null, changes.country ?? null, changes.passwordHash ?? null],
      );
      return result.rows[0] && toUser(result.rows[0]);
    },
  };
}
