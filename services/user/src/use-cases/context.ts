import type { PasswordHasher } from '../domain/password.js';
import type { User } from '../domain/user.js';
import type { UserRepository } from '../store/users.js';

/** Signs an access token for a user (subject, e-mail, roles and profile country as claims). */
export type AccessTokenIssuer = (
  user: Pick<User, 'id' | 'email' | 'roles' | 'country'>,
) => Promise<string>;

/** Everything a user use case may touch, built once by createUserApp. */
export interface UserContext {
  users: UserRepository;
  hasher: PasswordHasher;
  issueAccessToken: AccessTokenIssuer;
  accessTokenTtlSeconds: number;
}
