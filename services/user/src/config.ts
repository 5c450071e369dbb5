import { z } from 'zod';
import {
  databaseConfigShape,
  defineConfig,
  env,
  internalTokenShape,
  loadConfig,
  tokenVerifierConfigShape,
} from '@tourkit/kit';

export const userConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('user'),
  ...databaseConfigShape('postgres://postgres@127.0.0.1:5432/tourkit_user'),
  /** PKCS#8 PEM that signs access tokens; only this service holds it. */
  JWT_PRIVATE_KEY: env.pem(),
  // JWT_PUBLIC_KEY is the same pair's public half: served as a JWK set, used by every service.
  ...tokenVerifierConfigShape,
  // Short-lived: there is no revocation list, so a stolen token is only good for this long.
  ACCESS_TOKEN_TTL_SECONDS: env.int(900, 60, 86_400),
  ...internalTokenShape,
});

export type UserConfig = z.output<typeof userConfigSchema>;

export function loadUserConfig(
  environment: Record<string, string | undefined> = process.env,
): UserConfig {
  return loadConfig(userConfigSchema, environment);
}
