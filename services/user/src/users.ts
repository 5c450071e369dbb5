import type { Actor } from './domain/access.js';
import { canReadProfile, canUpdateProfile } from './domain/access.js';
import {
  CurrentPasswordMismatchError,
  ForbiddenError,
  InvalidCredentialsError,
  UserNotFoundError,
} from './domain/errors.js';
import type { PasswordHasher } from './domain/password.js';
import type { LoginInput, RegisterUserInput, UpdateProfileInput, User } from './domain/user.js';
import type { UserChanges, UserRepository } from './repository.js';

/** Signs an access token for a user (subject, e-mail, roles and profile country as claims). */
export type AccessTokenIssuer = (
  user: Pick<User, 'id' | 'email' | 'roles' | 'country'>,
) => Promise<string>;

export interface AccessTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface UserUseCasesDeps {
  repository: UserRepository;
  hasher: PasswordHasher;
  issueAccessToken: AccessTokenIssuer;
  accessTokenTtlSeconds: number;
}

/** The user service's use cases, independent of HTTP. */
export function createUserUseCases(deps: UserUseCasesDeps) {
  const { repository, hasher } = deps;

  async function findOrFail(id: string): Promise<User> {
    const user = await repository.findById(id);
    if (!user) throw new UserNotFoundError();
    return user;
  }

  return {
    async register(input: RegisterUserInput): Promise<User> {
      const passwordHash = await hasher.hash(input.password);
      return repository.create({
        email: input.email,
        passwordHash,
        name: input.name,
        country: input.country,
      });
    },

    async login(input: LoginInput): Promise<AccessTokenResponse> {
      const user = await repository.findByEmail(input.email);
      if (!user) {
        // Same KDF work as a real check, so response time does not reveal which e-mails exist.
        await hasher.verifyAgainstDummy(input.password);
        throw new InvalidCredentialsError();
      }
      if (!(await hasher.verify(user.passwordHash, input.password))) {
        throw new InvalidCredentialsError();
      }
      if (hasher.needsRehash(user.passwordHash)) {
        await repository.update(user.id, { passwordHash: await hasher.hash(input.password) });
      }
      return {
        accessToken: await deps.issueAccessToken(user),
        tokenType: 'Bearer',
        expiresIn: deps.accessTokenTtlSeconds,
      };
    },

    async getProfile(actor: Actor, id: string): Promise<User> {
      // Refuse before looking up, so a stranger cannot probe which ids exist.
      if (!canReadProfile(actor, id)) throw new ForbiddenError();
      return findOrFail(id);
    },

    async updateProfile(actor: Actor, id: string, input: UpdateProfileInput): Promise<User> {
      if (!canUpdateProfile(actor, id)) throw new ForbiddenError();
      const user = await findOrFail(id);
      const changes: UserChanges = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.country !== undefined) changes.country = input.country;
      if (input.password !== undefined) {
        const matches =
          input.currentPassword !== undefined &&
          (await hasher.verify(user.passwordHash, input.currentPassword));
        if (!matches) throw new CurrentPasswordMismatchError();
        changes.passwordHash = await hasher.hash(input.password);
      }
      const updated = await repository.update(id, changes);
      if (!updated) throw new UserNotFoundError();
      return updated;
    },

    getForService: findOrFail,
  };
}

export type UserUseCases = ReturnType<typeof createUserUseCases>;
