import {
  loginSchema,
  registerUserSchema,
  toPublicUser,
  updateProfileSchema,
  type User,
} from '../../src/domain/user.js';

function fieldsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

const validRegistration = {
  email: 'Ada@Example.com',
  password: 'correct horse',
  name: 'Ada Lovelace',
  country: 'fr',
};

describe('registerUserSchema', () => {
  it('normalizes e-mail to lower case and country to upper case', () => {
    expect(registerUserSchema.parse({ ...validRegistration, email: '  Ada@Example.COM ' })).toEqual(
      {
        email: 'ada@example.com',
        password: 'correct horse',
        name: 'Ada Lovelace',
        country: 'FR',
      },
    );
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 42 }],
    ['password', { password: '123456789' }],
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(101) }],
    ['country', { country: 'France' }],
    ['country', { country: 'XX' }],
  ])('rejects a bad %s', (field, override) => {
    const result = registerUserSchema.safeParse({ ...validRegistration, ...override });
    expect(fieldsOf(result)).toEqual([field]);
  });

  it('accepts a password of exactly 10 characters', () => {
    expect(
      registerUserSchema.safeParse({ ...validRegistration, password: '0123456789' }).success,
    ).toBe(true);
  });

  it('names every missing field', () => {
    expect(fieldsOf(registerUserSchema.safeParse({})).sort()).toEqual([
      'country',
      'email',
      'name',
      'password',
    ]);
  });

  it('says a missing field is required and a wrong type is not a string', () => {
    const result = registerUserSchema.safeParse({
      ...validRegistration,
      email: undefined,
      name: 7,
    });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['email', 'is required'],
      ['name', 'must be a string'],
    ]);
  });

  it('ignores a client-supplied role', () => {
    const parsed = registerUserSchema.parse({ ...validRegistration, roles: ['admin'] });
    expect(parsed).not.toHaveProperty('roles');
  });
});

describe('loginSchema', () => {
  it('does not apply the password policy, so a short wrong password is a 401 and not a 400', () => {
    expect(loginSchema.safeParse({ email: 'a@b.fr', password: 'short' }).success).toBe(true);
  });
});

describe('updateProfileSchema', () => {
  it('requires currentPassword with a new password', () => {
    expect(fieldsOf(updateProfileSchema.safeParse({ password: 'a new password' }))).toEqual([
      'currentPassword',
    ]);
  });

  it('requires at least one change', () => {
    expect(updateProfileSchema.safeParse({}).success).toBe(false);
  });

  it('accepts a partial change', () => {
    expect(updateProfileSchema.parse({ country: 'de' })).toEqual({ country: 'DE' });
  });
});

describe('toPublicUser', () => {
  it('never carries the password hash', () => {
    const user: User = {
      id: 'u1',
      email: 'a@b.fr',
      passwordHash: '$argon2id$secret',
      name: 'A',
      country: 'FR',
      roles: ['customer'],
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    expect(JSON.stringify(toPublicUser(user))).not.toContain('argon2');
    expect(toPublicUser(user).createdAt).toBe('1970-01-01T00:00:00.000Z');
  });
});
