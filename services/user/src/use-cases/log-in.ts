import { InvalidCredentialsError } from '../domain/errors.js';
import type { LoginInput } from '../domain/user.js';
import type { UserContext } from './context.js';

export interface AccessTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** A traveller logs in with e-mail and password and gets an access token. */
export async function logIn(ctx: UserContext, input: LoginInput): Promise<AccessTokenResponse> {
  const { users, hasher } = ctx;
  const user = await users.findByEmail(input.email);
  if (!user) {
    // Same KDF work as a real check, so response time does not reveal which e-mails exist.
    await hasher.verifyAgainstDummy(input.password);
    throw new InvalidCredentialsError();
  }
  if (!(await hasher.verify(user.passwordHash, input.password))) {
    throw new InvalidCredentialsError();
  }
  if (hasher.needsRehash(user.passwordHash)) {
    await users.update(user.id, { passwordHash: await hasher.hash(input.password) });
  }
  return {
    accessToken: await ctx.issueAccessToken(user),
    tokenType: 'Bearer',
    expiresIn: ctx.accessTokenTtlSeconds,
  };
}
