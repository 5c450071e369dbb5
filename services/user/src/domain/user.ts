import { z } from 'zod';
import { countryCode } from '@tourkit/kit';

export const PASSWORD_MIN_LENGTH = 10;
// Long enough for any passphrase, short enough that nobody feeds megabytes to the KDF.
export const PASSWORD_MAX_LENGTH = 256;

export const ADMIN_ROLE = 'admin';

/** A user as stored, password hash included; never sent to a client as is. */
export interface User {
  id: string;
  email: string;
  passwordHash: string;
  name: string;
  country: string;
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a client may see of a user. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  country: string;
  roles: string[];
  createdAt: string;
  updatedAt: string;
}

/** What another service may see (notification enrichment, booking VAT). */
export interface InternalUser {
  id: string;
  email: string;
  name: string;
  country: string;
}

export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    country: user.country,
    roles: [...user.roles],
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function toInternalUser(user: User): InternalUser {
  return { id: user.id, email: user.email, name: user.name, country: user.country };
}

/** A string field whose message says "is required" when absent and "must be a string" otherwise. */
function requiredString() {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string'),
  });
}

// Lower-cased so that the unique index and every lookup agree on one spelling.
export const emailSchema = requiredString()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid e-mail address' }));

export const newPasswordSchema = requiredString()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const nameSchema = requiredString()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export const registerUserSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: nameSchema,
  country: countryCode,
});
export type RegisterUserInput = z.infer<typeof registerUserSchema>;

export const loginSchema = z.object({
  email: emailSchema,
  // No policy check at login: a wrong password must fail as "invalid credentials", not as a 400.
  password: requiredString()
    .min(1, 'must not be empty')
    .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const updateProfileSchema = z
  .object({
    name: nameSchema.optional(),
    country: countryCode.optional(),
    password: newPasswordSchema.optional(),
    currentPassword: z
      .string({ error: 'must be a string' })
      .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.password !== undefined && !input.currentPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['currentPassword'],
        message: 'is required to change the password',
      });
    }
    if (input.name === undefined && input.country === undefined && input.password === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give at least one of name, country, password',
      });
    }
  });
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;

export const userIdParamsSchema = z.object({
  id: z.uuid({ error: 'must be a UUID' }),
});
