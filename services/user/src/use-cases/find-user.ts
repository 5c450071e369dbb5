import { UserNotFoundError } from '../domain/errors.js';
import type { User } from '../domain/user.js';
import type { UserContext } from './context.js';

/** The user with this id; UserNotFoundError when there is none. */
export async function findUser(ctx: UserContext, id: string): Promise<User> {
  const user = await ctx.users.findById(id);
  if (!user) throw new UserNotFoundError();
  return user;
}
