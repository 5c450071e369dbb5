import { canReadProfile, type Actor } from '../domain/access.js';
import { ForbiddenError } from '../domain/errors.js';
import type { User } from '../domain/user.js';
import type { UserContext } from './context.js';
import { findUser } from './find-user.js';

/** A user reads a profile: their own (an admin: anyone's). */
export async function getProfile(ctx: UserContext, actor: Actor, id: string): Promise<User> {
  // Refuse before looking up, so a stranger cannot probe which ids exist.
  if (!canReadProfile(actor, id)) throw new ForbiddenError();
  return findUser(ctx, id);
}
