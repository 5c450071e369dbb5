import { canUpdateProfile, type Actor } from '../domain/access.js';
import {
  CurrentPasswordMismatchError,
  ForbiddenError,
  UserNotFoundError,
} from '../domain/errors.js';
import type { UpdateProfileInput, User } from '../domain/user.js';
import type { UserChanges } from '../store/users.js';
import type { UserContext } from './context.js';
import { findUser } from './find-user.js';

/** A user changes their name, country or password (the current password proves it is them). */
export async function updateProfile(
  ctx: UserContext,
  actor: Actor,
  id: string,
  input: UpdateProfileInput,
): Promise<User> {
  if (!canUpdateProfile(actor, id)) throw new ForbiddenError();
  const user = await findUser(ctx, id);
  const changes: UserChanges = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.country !== undefined) changes.country = input.country;
  if (input.password !== undefined) {
    const matches =
      input.currentPassword !== undefined &&
      (await ctx.hasher.verify(user.passwordHash, input.currentPassword));
    if (!matches) throw new CurrentPasswordMismatchError();
    changes.passwordHash = await ctx.hasher.hash(input.password);
  }
  const updated = await ctx.users.update(id, changes);
  if (!updated) throw new UserNotFoundError();
  return updated;
}
