import type { RegisterUserInput, User } from '../domain/user.js';
import type { UserContext } from './context.js';

/** A traveller signs up; EmailTakenError when the e-mail has an account already. */
export async function registerUser(ctx: UserContext, input: RegisterUserInput): Promise<User> {
  const passwordHash = await ctx.hasher.hash(input.password);
  return ctx.users.create({
    email: input.email,
    passwordHash,
    name: input.name,
    country: input.country,
  });
}
