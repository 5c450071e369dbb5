import { hash, verify, parseOptions } from '@node-rs/argon2';

// Argon2id (Algorithm.Argon2id = 2; the enum is an ambient const enum, unusable under isolatedModules).
const ARGON2ID = 2;

/** OWASP Password Storage Cheat Sheet, first argon2id configuration: m=19 MiB, t=2, p=1. */
export const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type Argon2Params = { memoryCost: number; timeCost: number; parallelism: number };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when the password matches; the library compares digests in constant time. */
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Burns the same work as a real verification, for logins on unknown e-mails. */
  verifyAgainstDummy(password: string): Promise<void>;
  /** True when a stored hash was made with other parameters and should be replaced. */
  needsRehash(passwordHash: string): boolean;
}

export function createPasswordHasher(params: Argon2Params = OWASP_ARGON2ID): PasswordHasher {
  const options = { ...params, algorithm: ARGON2ID };
  let dummyHash: Promise<string> | undefined;

  return {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A malformed stored hash is a failed login, not a server error.
        return false;
      }
    },
    async verifyAgainstDummy(password) {
      dummyHash ??= hash('tourkit-dummy-password', options);
      await verify(await dummyHash, password);
    },
    needsRehash(passwordHash) {
      try {
        const used = parseOptions(passwordHash);
        return (
          used.algorithm !== ARGON2ID ||
          used.memoryCost !== params.memoryCost ||
          used.timeCost !== params.timeCost ||
          used.parallelism !== params.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}
