import { ADMIN_ROLE } from './user.js';

/** Who is asking, as the access token says. */
export interface Actor {
  id: string;
  roles: readonly string[];
}

export function canReadProfile(actor: Actor, profileId: string): boolean {
  return actor.id === profileId || actor.roles.includes(ADMIN_ROLE);
}

// Admins may look, not edit: changing someone's profile is theirs alone.
export function canUpdateProfile(actor: Actor, profileId: string): boolean {
  return actor.id === profileId;
}
